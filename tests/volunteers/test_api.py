import pytest

from tests.factories import AvailabilityFactory, VolunteerFactory
from volunteers.models import Availability

pytestmark = pytest.mark.django_db


def test_me_gives_the_profile_with_calendar_url(api, digibuddy):
    response = api(digibuddy.user).get("/api/v1/volunteers/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["calendar_url"].endswith(f"/volunteers/calendar/{digibuddy.calendar_token()}.ics")
    assert "staff_notes" not in body


def test_me_is_404_for_non_volunteers(api, staff_a):
    assert api(staff_a).get("/api/v1/volunteers/me/").status_code == 404


def test_staff_list_and_update_volunteers_of_their_municipality(api, staff_a, digibuddy):
    client = api(staff_a)
    assert [v["id"] for v in client.get("/api/v1/volunteers/").json()["results"]] == [digibuddy.pk]
    response = client.patch(
        f"/api/v1/volunteers/{digibuddy.pk}/",
        {"topics": ["taxes", "banking"], "status": "paused"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["topics"]) == {"taxes", "banking"}


def test_unknown_topic_code_is_a_field_error(api, staff_a, digibuddy):
    response = api(staff_a).patch(
        f"/api/v1/volunteers/{digibuddy.pk}/", {"topics": ["astrology"]}, format="json"
    )
    assert response.status_code == 400
    assert "astrology" in str(response.json()["topics"])


def test_outsider_sees_no_volunteer_of_a(api, outsider, digibuddy):
    client = api(outsider)
    assert client.get("/api/v1/volunteers/").json()["results"] == []
    assert client.get(f"/api/v1/volunteers/{digibuddy.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/volunteers/{digibuddy.pk}/", {"status": "left"}, format="json").status_code
        == 404
    )
    assert client.get(f"/api/v1/volunteers/{digibuddy.pk}/availability/").status_code == 404
    assert (
        client.post(
            f"/api/v1/volunteers/{digibuddy.pk}/absences/",
            {"start_date": "2026-12-01", "end_date": "2026-12-02"},
            format="json",
        ).status_code
        == 404
    )


def test_volunteers_cannot_list_other_volunteers(api, digibuddy):
    assert api(digibuddy.user).get("/api/v1/volunteers/").status_code == 403


def test_volunteer_manages_own_availability(api, digibuddy, digipunt_a):
    client = api(digibuddy.user)
    url = f"/api/v1/volunteers/{digibuddy.pk}/availability/"
    response = client.post(
        url, {"digipunt": digipunt_a.pk, "weekday": 2, "starts": "13:00", "ends": "16:00"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["starts"] == "13:00"
    block_id = response.json()["id"]
    assert client.delete(f"{url}{block_id}/").status_code == 204


def test_availability_outside_opening_hours_is_400(api, digibuddy, digipunt_a):
    response = api(digibuddy.user).post(
        f"/api/v1/volunteers/{digibuddy.pk}/availability/",
        {"digipunt": digipunt_a.pk, "weekday": 2, "starts": "18:00", "ends": "20:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "openingsuren" in response.json()["non_field_errors"][0]
    assert not Availability.objects.exists()


def test_overlapping_availability_is_400(api, staff_a, digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=2)
    response = api(staff_a).post(
        f"/api/v1/volunteers/{digibuddy.pk}/availability/",
        {"digipunt": digipunt_a.pk, "weekday": 2, "starts": "10:00", "ends": "11:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "overlapt" in response.json()["non_field_errors"][0]


def test_absence_ending_before_it_starts_is_400(api, digibuddy):
    response = api(digibuddy.user).post(
        f"/api/v1/volunteers/{digibuddy.pk}/absences/",
        {"start_date": "2026-12-10", "end_date": "2026-12-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()


def test_volunteer_cannot_touch_another_volunteers_availability(api, digibuddy, municipality_a, digipunt_a):
    other = VolunteerFactory(municipality=municipality_a, digipunten=[digipunt_a])
    assert api(digibuddy.user).get(f"/api/v1/volunteers/{other.pk}/availability/").status_code == 404


def test_over_long_staff_notes_are_refused(api, web, staff_a, digibuddy):
    """Found by the hostile-input walk (tests/test_hostile_api.py): staff notes had no limit, in the
    API and the page."""
    response = api(staff_a).patch(
        f"/api/v1/volunteers/{digibuddy.pk}/", {"staff_notes": "x" * 2001}, format="json"
    )
    assert response.status_code == 400
    assert "staff_notes" in response.json()
    page = web(staff_a).get(f"/volunteers/{digibuddy.pk}/")
    assert 'maxlength="2000"' in page.content.decode()
    digibuddy.refresh_from_db()
    assert digibuddy.staff_notes == ""
