"""Spreadsheet formula injection in the exports: a cell a spreadsheet would run as a formula gets
a leading apostrophe. Spreadsheets also read the full-width forms of the triggers (U+FF1D U+FF0B
U+FF0D U+FF20) as triggers and skip zero-width characters and a BOM before one: so does the guard."""

import csv
import io

import pytest
from openpyxl import load_workbook

from help_requests import exports
from help_requests import services as help_requests
from helpdesk.models import Topic

TRIGGERED = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '\uff1dHYPERLINK("http://evil")',
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "\u200b=1+1",
    "\u200c+1",
    "\u200d-1",
    "\u2060@SUM(A1)",
    "\ufeff=1+1",
    "\u200b\ufeff\u2060\uff1d1",
]
HARMLESS = ["An", "a=b", "1-2", "\u200bhallo", "\ufeff", "", "e-mail", "Sint-Niklaas"]


@pytest.mark.parametrize("value", TRIGGERED)
def test_a_trigger_in_any_form_is_neutralised(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_alone(value):
    assert exports.neutralise(value) == value


def test_numbers_and_empty_cells_are_left_alone():
    assert exports.neutralise(-5) == -5
    assert exports.neutralise(None) is None


@pytest.fixture
def hostile_name(digipunt_a):
    help_requests.log(
        digipunt=digipunt_a,
        topics=[Topic.objects.get(code="taxes")],
        channel="sms",
        outcome="solved",
        duration_minutes=20,
    )
    digipunt_a.name = '\u200b\uff1dHYPERLINK("http://evil")'
    digipunt_a.save()
    return digipunt_a.name


def test_csv_and_xlsx_exports_neutralise_the_full_width_form(web, coordinator_a, hostile_name):
    client = web(coordinator_a)
    body = b"".join(client.get("/stats/export/help-requests.csv").streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][4] == "'" + hostile_name
    response = client.get("/stats/export/help-requests.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1][4] == "'" + hostile_name
