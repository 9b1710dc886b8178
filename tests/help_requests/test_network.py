"""The network view: municipalities side by side, anonymous."""

import pytest

from help_requests import services as help_requests
from helpdesk.models import Topic
from tests.factories import DigipuntFactory, MunicipalityFactory


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
                digipunt=digipunt, topics=[topic], channel="sms", outcome="solved", duration_minutes=10
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
