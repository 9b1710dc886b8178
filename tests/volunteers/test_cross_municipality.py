"""A volunteer of A who also serves a digipunt of B: B sees them and plans them at B, nothing more."""

import datetime

import pytest

from tests.factories import AvailabilityFactory
from volunteers.models import Availability, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(digibuddy, digipunt_b):
    """digibuddy (home: A) also serves Bibliotheek B."""
    digibuddy.digipunten.add(digipunt_b)
    Volunteer.objects.filter(pk=digibuddy.pk).update(staff_notes="Screening A: vertrouwelijk")
    return digibuddy


def test_b_sees_the_volunteer_but_not_the_notes(api, outsider, shared):
    body = api(outsider).get(f"/api/v1/volunteers/{shared.pk}/").json()
    assert body["id"] == shared.pk
    assert "staff_notes" not in body
    assert "vertrouwelijk" not in str(api(outsider).get("/api/v1/volunteers/").json())


def test_b_cannot_change_the_profile(api, web, outsider, shared):
    assert (
        api(outsider).patch(f"/api/v1/volunteers/{shared.pk}/", {"status": "left"}, format="json").status_code
        == 403
    )
    assert web(outsider).get(f"/volunteers/{shared.pk}/").status_code == 404
    shared.refresh_from_db()
    assert shared.status == Volunteer.Status.ACTIVE


def test_b_plans_the_volunteer_at_b_only(api, outsider, shared, digipunt_a, digipunt_b):
    client = api(outsider)
    url = f"/api/v1/volunteers/{shared.pk}/availability/"
    at_b = client.post(
        url, {"digipunt": digipunt_b.pk, "weekday": 1, "starts": "09:00", "ends": "12:00"}, format="json"
    )
    assert at_b.status_code == 201, at_b.json()
    at_a = client.post(
        url, {"digipunt": digipunt_a.pk, "weekday": 2, "starts": "09:00", "ends": "12:00"}, format="json"
    )
    assert at_a.status_code == 400
    assert "digipunt" in at_a.json()


def test_b_cannot_remove_blocks_at_a(api, web, outsider, shared, digipunt_a):
    block = AvailabilityFactory(volunteer=shared, digipunt=digipunt_a, weekday=0)
    assert api(outsider).delete(f"/api/v1/volunteers/{shared.pk}/availability/{block.pk}/").status_code == 404
    web(outsider).post(f"/volunteers/{shared.pk}/availability/", {"delete_block": block.pk})
    assert Availability.objects.current().filter(pk=block.pk).exists()


def test_b_cannot_see_or_change_absences(api, web, outsider, shared):
    assert api(outsider).get(f"/api/v1/volunteers/{shared.pk}/absences/").status_code == 404
    page = web(outsider).get(f"/volunteers/{shared.pk}/availability/")
    assert page.status_code == 200
    assert not page.context["absences_editable"]


def test_home_staff_keep_full_control(api, staff_a, shared, digipunt_b):
    body = api(staff_a).get(f"/api/v1/volunteers/{shared.pk}/").json()
    assert body["staff_notes"] == "Screening A: vertrouwelijk"
    # A's staff cannot see B's digipunt, so it stays when they save A's choice.
    response = api(staff_a).patch(f"/api/v1/volunteers/{shared.pk}/", {"digipunten": []}, format="json")
    assert response.status_code == 200
    assert list(shared.digipunten.all()) == [digipunt_b]


def test_non_numeric_ids_on_the_availability_page_are_harmless(web, digibuddy):
    client = web(digibuddy.user)
    for name in ("delete_block", "delete_absence"):
        for value in ("abc", "", "1.5"):
            assert client.post("/volunteers/availability/", {name: value}).status_code == 302


def test_local_topics_survive_saving_the_form(web, staff_a, digibuddy, digipunt_a, municipality_b):
    from tests.factories import TopicFactory

    other_local = TopicFactory(municipality=municipality_b, code="b_only")
    digibuddy.topics.add(other_local)
    web(staff_a).post(
        f"/volunteers/{digibuddy.pk}/",
        {"status": "active", "languages": ["nl"], "digipunten": [digipunt_a.pk], "topics": []},
    )
    assert other_local in digibuddy.topics.all()


def test_hours_table_covers_six_months(web, digibuddy):
    hours = web(digibuddy.user).get("/volunteers/schedule/").context["hours"]
    assert [month for month, _ in hours] == [datetime.date(2026, m, 1) for m in (11, 10, 9, 8, 7, 6)]


def test_feed_link_follows_a_new_secret_key(client, settings, digibuddy, web):
    settings.SECRET_KEY = "another-secret-key-after-rotation-0123456789abcdef"
    page = web(digibuddy.user).get("/volunteers/schedule/")
    assert client.get(page.context["feed"]["https"].split("8000", 1)[1]).status_code == 200
