"""The network view: municipalities side by side, anonymous, for completed calendar years only."""

import datetime

import pytest

from help_requests import services as help_requests
from helpdesk.models import Topic
from tests.factories import DigipuntFactory, MunicipalityFactory

# The clock stands at Thursday 26 November 2026 (tests/help_requests/conftest.py): 2025 is the
# last completed year.
LAST_YEAR_DAY = datetime.date(2025, 11, 20)


@pytest.fixture
def region(municipality_a, municipality_b, digipunt_a, digipunt_b):
    taxes, banking = Topic.objects.get(code="taxes"), Topic.objects.get(code="banking")
    municipality_a.population = 20000
    municipality_a.save()
    c = MunicipalityFactory(name="Gemeente C")
    digipunt_c = DigipuntFactory(municipality=c)

    def many(digipunt, topic, count):
        for _ in range(count):
            help_requests.log(
                digipunt=digipunt,
                topics=[topic],
                channel="sms",
                outcome="solved",
                duration_minutes=10,
                date=LAST_YEAR_DAY,
            )

    many(digipunt_a, taxes, 3)  # the small cell
    many(digipunt_a, banking, 20)
    many(digipunt_b, taxes, 15)
    many(digipunt_b, banking, 9)
    many(digipunt_c, taxes, 12)
    many(digipunt_c, banking, 30)


def test_api_hides_the_small_cell_and_what_gives_it_away(api, coordinator_b, region):
    body = api(coordinator_b).get("/api/v1/stats/network/").json()
    assert body["k"] == 5
    assert [t["topic"] for t in body["topics"]] == ["banking", "taxes"]
    rows = {row["municipality"]: row for row in body["rows"]}
    a = rows["Gemeente A"]
    assert a["by_topic"][1] is None  # the 3
    assert a["by_topic"][0] is None  # the 20 beside it, or 23 - 20 would give 3
    assert a["help_requests"] == 23
    assert a["per_1000"] == 1.15
    # Column "taxes": 3 hidden, so another taxes cell is hidden too.
    taxes_column = [row["by_topic"][1] for row in body["rows"]]
    assert taxes_column.count(None) >= 2


def test_the_page_shows_less_than_k(web, coordinator_b, region):
    page = web(coordinator_b).get("/stats/network/").content.decode()
    assert "&lt;5" in page
    assert "Gemeente A" in page


def test_volunteers_cannot_see_it(web, volunteer_a):
    assert web(volunteer_a).get("/stats/network/").status_code == 403


def log_today(digipunt, topic):
    return help_requests.log(
        digipunt=digipunt, topics=[topic], channel="sms", outcome="solved", duration_minutes=10
    )


def test_the_api_publishes_the_last_completed_year_by_default(api, coordinator_b, region):
    body = api(coordinator_b).get("/api/v1/stats/network/").json()
    assert body["period"] == {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.mark.parametrize("year", ["2026", "2027"])
def test_the_api_refuses_the_running_year_and_later_naming_the_field(api, coordinator_b, year):
    response = api(coordinator_b).get("/api/v1/stats/network/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_page_offers_completed_years_only(web, coordinator_b, region):
    client = web(coordinator_b)
    page = client.get("/stats/network/")
    assert page.context["period"].first == datetime.date(2025, 1, 1)
    offered = [value for value, _label in page.context["form"].fields["year"].choices]
    assert 2026 not in offered
    assert offered[0] == 2025
    # Asking for the running year shows the last completed one, not this one.
    asked = client.get("/stats/network/", {"year": "2026"})
    assert asked.context["period"].first == datetime.date(2025, 1, 1)


def test_today_and_tomorrow_tell_nothing_apart(api, web, coordinator_b, digipunt_a, time_machine, frozen_now):
    """Before the fix the running year was published live: a municipality at 0 for a topic showed
    0 today and "<5" tomorrow, so one help request (and its day) showed through."""
    taxes = Topic.objects.get(code="taxes")
    client, browser = api(coordinator_b), web(coordinator_b)
    for year in ("", "2025"):
        query = {"year": year} if year else {}
        today = client.get("/api/v1/stats/network/", query).json()
        page_today = browser.get("/stats/network/", query).context["figures"]
        log_today(digipunt_a, taxes)
        time_machine.move_to(frozen_now + datetime.timedelta(days=1), tick=False)
        assert client.get("/api/v1/stats/network/", query).json() == today
        assert browser.get("/stats/network/", query).context["figures"] == page_today
        time_machine.move_to(frozen_now, tick=False)
