import pytest

from helpdesk.models import Closure, Digipunt

pytestmark = pytest.mark.django_db

NEW_DIGIPUNT = {
    "name": "Gemeentehuis A",
    "street": "Markt 1",
    "postal_code": "9000",
    "city": "Gent",
    "languages": ["nl", "en"],
    "desks": 1,
    "opening_hours": [
        {"weekday": 0, "opens": "09:00", "closes": "12:00"},
        {"weekday": 0, "opens": "13:00", "closes": "16:00"},
    ],
}


def test_list_shows_own_municipality_only(api, staff_a, digipunt_a, digipunt_b):
    response = api(staff_a).get("/api/v1/digipunten/")
    assert response.status_code == 200
    assert [d["name"] for d in response.json()] == ["Bibliotheek A"]
    first = response.json()[0]
    assert set(first) >= {"id", "name", "municipality", "address", "languages"}
    assert first["address"] == "Marktplein 1, 9000 Gent"


def test_outsider_cannot_read_a_digipunt_of_a(api, outsider, digipunt_a):
    assert api(outsider).get(f"/api/v1/digipunten/{digipunt_a.pk}/").status_code == 404
    assert digipunt_a.name not in str(api(outsider).get("/api/v1/digipunten/").json())


def test_coordinator_creates_a_digipunt_with_opening_hours(api, coordinator_a, municipality_a):
    response = api(coordinator_a).post(
        "/api/v1/digipunten/", {**NEW_DIGIPUNT, "municipality": municipality_a.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    digipunt = Digipunt.objects.get(name="Gemeentehuis A")
    assert digipunt.opening_hours.count() == 2


def test_overlapping_opening_hours_are_a_field_error(api, coordinator_a, municipality_a):
    payload = {
        **NEW_DIGIPUNT,
        "municipality": municipality_a.pk,
        "opening_hours": [
            {"weekday": 0, "opens": "09:00", "closes": "12:00"},
            {"weekday": 0, "opens": "11:00", "closes": "14:00"},
        ],
    }
    response = api(coordinator_a).post("/api/v1/digipunten/", payload, format="json")
    assert response.status_code == 400
    assert "opening_hours" in response.json()
    assert not Digipunt.objects.filter(name="Gemeentehuis A").exists()


def test_opening_hours_closing_before_opening_is_a_field_error(api, coordinator_a, municipality_a):
    payload = {
        **NEW_DIGIPUNT,
        "municipality": municipality_a.pk,
        "opening_hours": [{"weekday": 2, "opens": "12:00", "closes": "09:00"}],
    }
    response = api(coordinator_a).post("/api/v1/digipunten/", payload, format="json")
    assert response.status_code == 400
    assert "closes" in response.json()["opening_hours"]["0"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("languages", ["xx"]), ("languages", []), ("postal_code", "12"), ("desks", 0), ("phone", "12345")],
)
def test_bad_fields_are_named(api, coordinator_a, municipality_a, field, value):
    payload = {**NEW_DIGIPUNT, "municipality": municipality_a.pk, field: value}
    response = api(coordinator_a).post("/api/v1/digipunten/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_staff_cannot_create_or_change_digipunten(api, staff_a, digipunt_a, municipality_a):
    client = api(staff_a)
    assert (
        client.post(
            "/api/v1/digipunten/", {**NEW_DIGIPUNT, "municipality": municipality_a.pk}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/digipunten/{digipunt_a.pk}/", {"desks": 5}, format="json").status_code == 403
    )


def test_coordinator_cannot_create_in_another_municipality(api, coordinator_a, coordinator_b, municipality_b):
    response = api(coordinator_a).post(
        "/api/v1/digipunten/", {**NEW_DIGIPUNT, "municipality": municipality_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "municipality" in response.json()


def test_coordinator_replaces_the_week(api, coordinator_a, digipunt_a):
    response = api(coordinator_a).patch(
        f"/api/v1/digipunten/{digipunt_a.pk}/",
        {"opening_hours": [{"weekday": 5, "opens": "10:00", "closes": "12:00"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert list(digipunt_a.opening_hours.values_list("weekday", flat=True)) == [5]


def test_closure_ending_before_it_starts_is_a_field_error(api, coordinator_a, digipunt_a):
    response = api(coordinator_a).post(
        f"/api/v1/digipunten/{digipunt_a.pk}/closures/",
        {"start_date": "2026-12-24", "end_date": "2026-12-20", "reason": "Kerst"},
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    assert not Closure.objects.exists()


def test_coordinator_adds_a_closure(api, coordinator_a, digipunt_a):
    response = api(coordinator_a).post(
        f"/api/v1/digipunten/{digipunt_a.pk}/closures/",
        {"start_date": "2026-12-24", "end_date": "2026-12-31", "reason": "Kerstvakantie"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    closure = Closure.objects.get()
    assert closure.municipality_id == digipunt_a.municipality_id


def test_outsider_cannot_see_or_add_closures_of_a(api, outsider, coordinator_b, digipunt_a):
    assert api(outsider).get(f"/api/v1/digipunten/{digipunt_a.pk}/closures/").status_code == 404
    response = api(coordinator_b).post(
        f"/api/v1/digipunten/{digipunt_a.pk}/closures/",
        {"start_date": "2026-12-24", "end_date": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 404


def test_opening_hours_with_a_time_zone_are_refused(api, coordinator_a, municipality_a):
    payload = {
        **NEW_DIGIPUNT,
        "municipality": municipality_a.pk,
        "opening_hours": [{"weekday": 2, "opens": "09:00Z", "closes": "12:00+01:00"}],
    }
    response = api(coordinator_a).post("/api/v1/digipunten/", payload, format="json")
    assert response.status_code == 400
    assert "opens" in response.json()["opening_hours"]["0"]


def test_opening_hours_are_given_as_local_hours_and_minutes(api, staff_a, digipunt_a):
    hours = api(staff_a).get(f"/api/v1/digipunten/{digipunt_a.pk}/").json()["opening_hours"]
    assert hours[0] == {"weekday": 0, "opens": "09:00", "closes": "12:00"}


def test_partial_opening_hours_rows_are_field_errors(api, coordinator_a, digipunt_a):
    response = api(coordinator_a).patch(
        f"/api/v1/digipunten/{digipunt_a.pk}/",
        {"opening_hours": [{"weekday": 0, "opens": "09:00"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "closes" in response.json()["opening_hours"]["0"]


def test_over_long_accessibility_notes_are_a_field_error(api, coordinator_a, digipunt_a):
    """Found by the hostile-input walk (tests/test_hostile_api.py): the notes had no limit (10,000
    characters were kept)."""
    response = api(coordinator_a).patch(
        f"/api/v1/digipunten/{digipunt_a.pk}/", {"accessibility_notes": "x" * 1001}, format="json"
    )
    assert response.status_code == 400
    assert "accessibility_notes" in response.json()
    digipunt_a.refresh_from_db()
    assert digipunt_a.accessibility_notes == ""
