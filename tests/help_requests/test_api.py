"""GET, POST /api/v1/help-requests/ and GET /api/v1/stats/."""

import datetime

import pytest

from help_requests import services as help_requests
from help_requests.models import HelpRequest
from helpdesk.models import Topic


def payload(digipunt, **overrides):
    return {
        "digipunt": digipunt.pk,
        "date": "2026-11-20",
        "topics": ["taxes", "banking"],
        "channel": "phone",
        "duration_minutes": 25,
        "outcome": "solved",
        **overrides,
    }


class TestHelpRequestsApi:
    def test_post_and_list(self, api, staff_a, digipunt_a):
        client = api(staff_a)
        response = client.post("/api/v1/help-requests/", payload(digipunt_a), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["topics"] == ["banking", "taxes"]
        assert body["date"] == "2026-11-20"
        listing = client.get("/api/v1/help-requests/").json()
        assert listing["results"][0]["id"] == body["id"]
        assert HelpRequest.objects.get().helped_by == staff_a

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"topics": ["nonsense"]}, "topics"),
            ({"topics": []}, "topics"),
            ({"outcome": "great"}, "outcome"),
            ({"channel": "fax"}, "channel"),
            ({"duration_minutes": -1}, "duration_minutes"),
            ({"duration_minutes": 481}, "duration_minutes"),
            ({"date": "2026-12-01"}, "date"),
            ({"date": "garbage"}, "date"),
            ({"outcome": "referred"}, "referred_to"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, api, staff_a, digipunt_a, overrides, field):
        response = api(staff_a).post(
            "/api/v1/help-requests/", payload(digipunt_a, **overrides), format="json"
        )
        assert response.status_code == 400
        assert field in response.json()
        assert not HelpRequest.objects.exists()

    def test_a_digipunt_of_another_municipality_is_refused(self, api, staff_a, digipunt_b):
        response = api(staff_a).post("/api/v1/help-requests/", payload(digipunt_b), format="json")
        assert response.status_code == 400
        assert "digipunt" in response.json()

    def test_volunteers_cannot_read(self, api, volunteer_a):
        assert api(volunteer_a).get("/api/v1/help-requests/").status_code == 403
        assert api(volunteer_a).get("/api/v1/stats/").status_code == 403


@pytest.fixture
def logged(digipunt_a, digipunt_b):
    taxes, banking = Topic.objects.get(code="taxes"), Topic.objects.get(code="banking")
    rows = [
        (digipunt_a, [taxes], "sms", "solved", datetime.date(2026, 3, 29), 9, True),  # DST starts that night
        (digipunt_a, [taxes, banking], "phone", "referred", datetime.date(2026, 3, 30), 14, False),
        (digipunt_a, [banking], "counter", "not_solved", datetime.date(2026, 10, 31), 16, False),
        (digipunt_a, [taxes], "counter", "solved", datetime.date(2026, 11, 2), 10, True),
        (digipunt_b, [taxes], "sms", "solved", datetime.date(2026, 11, 2), 10, False),
    ]
    for digipunt, topics, channel, outcome, date, hour, alone in rows:
        help_requests.log(
            digipunt=digipunt,
            topics=topics,
            channel=channel,
            outcome=outcome,
            duration_minutes=30,
            date=date,
            hour=hour,
            self_reliant=alone,
            referred_to="ocmw" if outcome == "referred" else "",
        )


class TestStats:
    def test_known_inputs_give_exact_figures(self, api, coordinator_a, logged):
        body = api(coordinator_a).get("/api/v1/stats/", {"from": "2026-01-01", "to": "2026-11-26"}).json()
        assert body["total"] == 4  # B's row is not A's
        assert body["by_topic"] == [
            {"topic": "taxes", "name": "Belastingen (MyMinfin)", "count": 3},
            {"topic": "banking", "name": "Bankieren en itsme", "count": 2},
        ]
        assert body["by_channel"] == [
            {"channel": "counter", "count": 2},
            {"channel": "phone", "count": 1},
            {"channel": "sms", "count": 1},
        ]
        assert {"outcome": "referred", "count": 1} in body["by_outcome"]
        assert body["by_month"] == [
            {"month": "2026-03", "count": 2},
            {"month": "2026-10", "count": 1},
            {"month": "2026-11", "count": 1},
        ]
        # ISO weeks: Sunday 29 March is week 13, Monday 30 March week 14; 31 October week 44.
        assert body["by_week"] == [
            {"week": "2026-W13", "count": 1},
            {"week": "2026-W14", "count": 1},
            {"week": "2026-W44", "count": 1},
            {"week": "2026-W45", "count": 1},
        ]
        assert {"weekday": 7, "hour": 9, "count": 1} in body["heatmap"]
        assert body["self_reliance_share"] == 0.5
        assert body["referrals"]["total"] == 1
        assert body["referrals"]["open"] == 1
        assert body["help_hours"] == 2.0

    def test_empty_period_gives_zeros(self, api, coordinator_a, logged):
        body = api(coordinator_a).get("/api/v1/stats/", {"from": "2020-01-01", "to": "2020-01-31"}).json()
        assert body["total"] == 0
        assert body["by_topic"] == []
        assert body["self_reliance_share"] is None
        assert body["appointments"]["booked"] == 0
        assert body["unmet_demand"] == 0

    @pytest.mark.parametrize(
        "query",
        [
            {"from": "garbage"},
            {"to": "2026-13-01"},
            {"from": "2026-11-01", "to": "2026-10-01"},
            {"digipunt": "abc"},
            {"municipality": "-1"},
        ],
    )
    def test_malformed_periods_and_filters_are_400(self, api, coordinator_a, query):
        response = api(coordinator_a).get("/api/v1/stats/", query)
        assert response.status_code == 400
        assert set(response.json()) <= {"from", "to", "digipunt", "municipality"}

    def test_coordinator_of_b_sees_nothing_of_a(self, api, coordinator_b, municipality_a, digipunt_a, logged):
        client = api(coordinator_b)
        assert client.get("/api/v1/stats/", {"municipality": municipality_a.pk}).status_code == 400
        assert client.get("/api/v1/stats/", {"digipunt": digipunt_a.pk}).status_code == 400
        body = client.get("/api/v1/stats/", {"from": "2026-01-01", "to": "2026-11-26"}).json()
        assert body["total"] == 1

    def test_network_admin_sees_all(self, api, network_admin, logged):
        body = api(network_admin).get("/api/v1/stats/", {"from": "2026-01-01", "to": "2026-11-26"}).json()
        assert body["total"] == 5

    def test_previous_period_comparison(self, api, coordinator_a, logged):
        body = api(coordinator_a).get("/api/v1/stats/", {"from": "2026-10-28", "to": "2026-11-26"}).json()
        assert body["total"] == 2
        assert body["previous_period"]["from"] == "2026-09-28"
        assert body["previous_period"]["total"] == 0
