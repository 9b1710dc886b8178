"""The statistics dashboard and its exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from help_requests import services as help_requests
from helpdesk.models import Topic


@pytest.fixture
def logged(digipunt_a, digipunt_b):
    taxes = Topic.objects.get(code="taxes")
    for digipunt, channel in [(digipunt_a, "sms"), (digipunt_a, "phone"), (digipunt_b, "counter")]:
        help_requests.log(
            digipunt=digipunt, topics=[taxes], channel=channel, outcome="solved", duration_minutes=20
        )
    digipunt_a.name = "=HYPERLINK(evil)"
    digipunt_a.save()


def test_dashboard_shows_the_figures_of_the_own_municipality(web, coordinator_a, logged):
    page = web(coordinator_a).get("/stats/").content.decode()
    assert "Belastingen (MyMinfin)" in page
    assert ">2<" in page  # two help requests in A


def test_dashboard_filters_and_bad_filters(web, coordinator_a, logged, digipunt_b):
    client = web(coordinator_a)
    assert client.get("/stats/", {"date_from": "garbage"}).status_code == 200
    assert client.get("/stats/", {"date_from": "2026-11-20", "date_to": "2026-11-01"}).status_code == 200
    # A digipunt of another municipality is not a choice: a form error, not B's figures.
    page = client.get("/stats/", {"digipunt": digipunt_b.pk}).content.decode()
    assert "form-errors" in page


def test_volunteers_cannot_see_statistics(web, volunteer_a):
    assert web(volunteer_a).get("/stats/").status_code == 403
    assert web(volunteer_a).get("/stats/export/help-requests.csv").status_code == 403


def test_csv_export_is_excel_ready_anonymous_and_safe(web, coordinator_a, logged):
    response = web(coordinator_a).get("/stats/export/help-requests.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 3  # header and A's two rows
    assert rows[1][4] == "'=HYPERLINK(evil)"  # neutralised
    assert rows[1][5] == "taxes"
    assert "An Peeters" not in body


def test_xlsx_exports(web, coordinator_a, logged):
    client = web(coordinator_a)
    response = client.get("/stats/export/help-requests.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    summary = client.get("/stats/export/statistics.xlsx")
    book = load_workbook(io.BytesIO(b"".join(summary.streaming_content)), read_only=True)
    assert len(book.worksheets) >= 8


def test_summary_csv(web, coordinator_a, logged):
    body = b"".join(web(coordinator_a).get("/stats/export/statistics.csv").streaming_content).decode()
    assert "taxes;" in body


def test_unknown_export_format_is_404(web, coordinator_a):
    assert web(coordinator_a).get("/stats/export/help-requests.pdf").status_code == 404
