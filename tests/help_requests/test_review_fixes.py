"""Findings of the review of help requests and statistics: each test failed before its fix."""

import datetime

import pytest

from appointments import walk_ins
from help_requests import services as help_requests
from help_requests.models import HelpRequest
from help_requests.suppression import suppress
from helpdesk.models import Membership, Role
from tests.factories import DigipuntFactory, MunicipalityFactory, member


def log(digipunt, topics, **values):
    defaults = {"channel": "phone", "outcome": "solved", "duration_minutes": 10}
    return help_requests.log(digipunt=digipunt, topics=topics, **{**defaults, **values})


def test_a_zero_is_never_the_second_hidden_cell():
    # D (last row) has nothing: hiding its zeros would protect nothing, since its total is 0.
    table = suppress([[3, 3], [15, 9], [12, 30], [0, 0]], k=5)
    assert not any(table.hidden[3])
    hidden_in_banking = [r for r in range(4) if table.hidden[r][1]]
    assert len(hidden_in_banking) >= 2
    assert all(table.cells[r][1] > 0 for r in hidden_in_banking)


def test_network_figures_are_for_whole_calendar_years(api, coordinator_b, digipunt_a, taxes, time_machine):
    for day in (datetime.date(2025, 11, 20), datetime.date(2025, 11, 21)):
        log(digipunt_a, [taxes], date=day)
    client = api(coordinator_b)
    last_year = client.get("/api/v1/stats/network/").json()  # the last completed year
    assert last_year["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    # A period of its own choosing is not possible: from/to are not parameters here.
    narrowed = client.get("/api/v1/stats/network/", {"from": "2025-11-20", "to": "2025-11-20"}).json()
    assert narrowed["period"] == last_year["period"]
    assert client.get("/api/v1/stats/network/", {"year": "1999"}).status_code == 400
    assert client.get("/api/v1/stats/network/", {"year": "abc"}).status_code == 400


def test_staff_limited_to_a_digipunt_see_its_help_requests_only(api, municipality_a, digipunt_a, taxes):
    other = DigipuntFactory(municipality=municipality_a, name="Elders")
    log(other, [taxes], note="Jan Peeters, 0470")
    limited = member(Role.STAFF, municipality_a, "limited")
    Membership.objects.get(user=limited).digipunten.set([digipunt_a])
    body = api(limited).get("/api/v1/help-requests/").json()
    assert body["results"] == []


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/stats/", {"to": "2024-02-29"}),
        ("/api/v1/help-requests/", {"to": "2024-02-29"}),
        ("/stats/", {"date_to": "2024-02-29"}),
        ("/stats/export/help-requests.csv", {"date_to": "2024-02-29"}),
    ],
)
def test_29_february_is_a_day_like_any_other(api, web, coordinator_a, url, query):
    client = api(coordinator_a) if url.startswith("/api/") else web(coordinator_a)
    assert client.get(url, query).status_code == 200


def test_the_dashboard_on_29_february(web, coordinator_a, time_machine):
    time_machine.move_to(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC), tick=False)
    assert web(coordinator_a).get("/stats/").status_code == 200


def test_quick_form_help_gets_the_hour_for_the_heatmap(web, staff_a, digipunt_a, taxes):
    web(staff_a).post(
        "/help/log/",
        {
            "digipunt": digipunt_a.pk,
            "topics": [taxes.pk],
            "channel": "phone",
            "date": "2026-11-26",
            "duration_minutes": 15,
            "outcome": "solved",
            "first_visit": "unknown",
        },
    )
    assert HelpRequest.objects.get().hour == 10


def test_a_from_after_the_implied_to_is_a_form_error(web, coordinator_a):
    page = web(coordinator_a).get("/stats/", {"date_from": "2099-01-01"}).content.decode()
    assert "form-errors" in page
    assert "01/01/2099" not in page  # the default period is shown instead


def test_a_walk_in_who_left_has_no_help_to_log(web, staff_a, digipunt_a, taxes):
    ticket = walk_ins.register(digipunt=digipunt_a, topic=taxes, language="nl")
    walk_ins.finish(ticket, served=False)
    response = web(staff_a).get(f"/help/log/?walk_in={ticket.pk}")
    assert response.status_code == 302
    assert not HelpRequest.objects.exists()


def test_logging_a_waiting_walk_in_marks_it_helped(web, staff_a, digipunt_a, taxes):
    ticket = walk_ins.register(digipunt=digipunt_a, topic=taxes, language="nl")
    web(staff_a).post(
        f"/help/log/?walk_in={ticket.pk}",
        {"topics": [taxes.pk], "outcome": "solved", "duration_minutes": 20, "first_visit": "unknown"},
    )
    ticket.refresh_from_db()
    assert ticket.status == "served"
    assert HelpRequest.objects.get().walk_in == ticket


def test_only_open_referrals_can_be_marked_picked_up(web, staff_a, digipunt_a, taxes):
    solved = log(digipunt_a, [taxes])
    assert web(staff_a).post(f"/help/referrals/{solved.pk}/picked-up/").status_code == 404


def test_xlsx_does_not_turn_names_into_links(web, coordinator_a, digipunt_a, taxes):
    import io

    from openpyxl import load_workbook

    digipunt_a.name = "http://evil.example"
    digipunt_a.save()
    log(digipunt_a, [taxes])
    response = web(coordinator_a).get("/stats/export/help-requests.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = book.worksheets[0]["E2"]
    assert cell.value == "http://evil.example"
    assert cell.hyperlink is None


def test_coordinator_of_another_municipality_gets_a_404_on_export_filters(web, coordinator_b, digipunt_a):
    page = web(coordinator_b).get("/stats/", {"digipunt": digipunt_a.pk}).content.decode()
    assert "form-errors" in page


def test_municipality_fixture_is_used(municipality_b):
    assert MunicipalityFactory(name="Gemeente B") == municipality_b
