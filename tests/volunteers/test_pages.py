import datetime

import pytest

from tests.factories import AvailabilityFactory, DigipuntFactory, VolunteerFactory
from volunteers.models import Absence, Availability, Volunteer

pytestmark = pytest.mark.django_db


def test_schedule_shows_shifts_and_the_three_feed_links(web, digibuddy, digipunt_a, frozen_now):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    body = (
        web(digibuddy.user).get("/volunteers/schedule/", headers={"Accept-Language": "en"}).content.decode()
    )
    assert "Monday 30/11/2026" in body
    assert "Bibliotheek A" in body
    token = digibuddy.calendar_token()
    assert f"webcal://127.0.0.1:8000/volunteers/calendar/{token}.ics" in body
    assert f"http://127.0.0.1:8000/volunteers/calendar/{token}.ics" in body
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in body


def test_hours_on_duty_per_month(web, digibuddy, digipunt_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 10, 12, tzinfo=datetime.UTC), tick=False)
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    time_machine.move_to(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC), tick=False)
    hours = dict(web(digibuddy.user).get("/volunteers/schedule/").context["hours"])
    # Mondays 2, 9, 16, 23 November 2026 before Thursday the 26th: 4 x 3 hours.
    assert hours[datetime.date(2026, 11, 1)] == 12
    # October counts from the day the block was entered (the 10th): 12, 19, 26 October.
    assert hours[datetime.date(2026, 10, 1)] == 9
    assert hours[datetime.date(2026, 9, 1)] == 0


def test_schedule_is_for_volunteers_only(web, staff_a):
    assert web(staff_a).get("/volunteers/schedule/").status_code == 403


def test_rotating_the_link_breaks_the_old_one(web, client, digibuddy):
    old = f"/volunteers/calendar/{digibuddy.calendar_token()}.ics"
    assert client.get(old).status_code == 200
    web(digibuddy.user).post("/volunteers/schedule/new-calendar-link/")
    assert client.get(old).status_code == 404


def test_volunteer_adds_and_removes_a_block(web, digibuddy, digipunt_a):
    client = web(digibuddy.user)
    response = client.post(
        "/volunteers/availability/",
        {
            "add_block": "1",
            "block-digipunt": digipunt_a.pk,
            "block-weekday": 1,
            "block-starts": "09:00",
            "block-ends": "11:30",
        },
    )
    assert response.status_code == 302
    block = Availability.objects.get(volunteer=digibuddy)
    client.post("/volunteers/availability/", {"delete_block": block.pk})
    assert not Availability.objects.exists()


def test_block_outside_opening_hours_shows_an_error_and_saves_nothing(web, digibuddy, digipunt_a):
    response = web(digibuddy.user).post(
        "/volunteers/availability/",
        {
            "add_block": "1",
            "block-digipunt": digipunt_a.pk,
            "block-weekday": 5,
            "block-starts": "09:00",
            "block-ends": "11:00",
        },
    )
    assert response.status_code == 200
    assert response.context["availability_form"].errors
    assert not Availability.objects.exists()


def test_absence_ending_before_it_starts_shows_an_error(web, digibuddy):
    response = web(digibuddy.user).post(
        "/volunteers/availability/",
        {"add_absence": "1", "absence-start_date": "2026-12-10", "absence-end_date": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "end_date" in response.context["absence_form"].errors
    assert not Absence.objects.exists()


def test_volunteer_cannot_use_a_digipunt_they_do_not_serve(web, digibuddy, digipunt_b):
    response = web(digibuddy.user).post(
        "/volunteers/availability/",
        {
            "add_block": "1",
            "block-digipunt": digipunt_b.pk,
            "block-weekday": 0,
            "block-starts": "09:00",
            "block-ends": "10:00",
        },
    )
    assert "digipunt" in response.context["availability_form"].errors


def test_volunteer_cannot_delete_someone_elses_block(web, digibuddy, digipunt_a, municipality_a):
    other = VolunteerFactory(municipality=municipality_a, digipunten=[digipunt_a])
    block = AvailabilityFactory(volunteer=other, digipunt=digipunt_a)
    web(digibuddy.user).post("/volunteers/availability/", {"delete_block": block.pk})
    assert Availability.objects.filter(pk=block.pk).exists()


def test_staff_edit_a_volunteer_of_their_municipality(web, staff_a, digibuddy, digipunt_a):
    client = web(staff_a)
    assert "Vera" in client.get("/volunteers/").content.decode()
    response = client.post(
        f"/volunteers/{digibuddy.pk}/",
        {
            "status": "paused",
            "phone": "0470 55 66 77",
            "languages": ["nl", "tr"],
            "digipunten": [digipunt_a.pk],
            "staff_notes": "VOG ok",
        },
    )
    assert response.status_code == 302
    digibuddy.refresh_from_db()
    assert digibuddy.status == Volunteer.Status.PAUSED
    assert digibuddy.languages == ["nl", "tr"]
    assert client.get(f"/volunteers/{digibuddy.pk}/availability/").status_code == 200


def test_staff_keep_digipunten_of_other_municipalities(web, staff_a, digibuddy, digipunt_a, digipunt_b):
    digibuddy.digipunten.add(digipunt_b)
    web(staff_a).post(
        f"/volunteers/{digibuddy.pk}/",
        {"status": "active", "languages": ["nl"], "digipunten": [digipunt_a.pk]},
    )
    assert set(digibuddy.digipunten.all()) == {digipunt_a, digipunt_b}


def test_staff_notes_are_not_shown_to_the_volunteer(web, digibuddy):
    Volunteer.objects.filter(pk=digibuddy.pk).update(staff_notes="Screening OK, let op bij nieuwe klanten")
    for path in ("/volunteers/schedule/", "/volunteers/availability/", "/"):
        assert "Screening OK" not in web(digibuddy.user).get(path).content.decode()


def test_outsider_cannot_see_or_edit_volunteers_of_a(web, outsider, digibuddy):
    client = web(outsider)
    assert "Vera" not in client.get("/volunteers/").content.decode()
    assert client.get(f"/volunteers/{digibuddy.pk}/").status_code == 404
    assert (
        client.post(f"/volunteers/{digibuddy.pk}/", {"status": "left", "languages": ["nl"]}).status_code
        == 404
    )
    assert client.get(f"/volunteers/{digibuddy.pk}/availability/").status_code == 404
    digibuddy.refresh_from_db()
    assert digibuddy.status == Volunteer.Status.ACTIVE


def test_volunteer_serving_a_digipunt_of_b_is_visible_to_b(
    web, coordinator_b, municipality_a, municipality_b
):
    shared = DigipuntFactory(municipality=municipality_b, name="Regio B")
    volunteer = VolunteerFactory(municipality=municipality_a, digipunten=[shared])
    volunteer.user.first_name = "Regiovrijwilliger"
    volunteer.user.save()
    assert "Regiovrijwilliger" in web(coordinator_b).get("/volunteers/").content.decode()


def test_volunteers_and_anonymous_cannot_open_staff_pages(web, digibuddy):
    assert web(digibuddy.user).get("/volunteers/").status_code == 403
    assert web().get("/volunteers/").status_code == 302


def test_query_count_of_the_staff_list_does_not_grow(
    web, staff_a, municipality_a, digipunt_a, django_assert_max_num_queries
):
    for _ in range(8):
        VolunteerFactory(municipality=municipality_a, digipunten=[digipunt_a])
    client = web(staff_a)
    with django_assert_max_num_queries(10):
        client.get("/volunteers/")


def test_schedule_lists_appointments_with_the_first_name_only(web, digibuddy, digipunt_a):
    from tests.factories import AppointmentFactory, CitizenFactory

    citizen = CitizenFactory(municipality=digipunt_a.municipality, name="An Peeters", phone="+32470555555")
    AppointmentFactory(
        digipunt=digipunt_a,
        volunteer=digibuddy,
        citizen=citizen,
        start=datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC),
    )
    body = (
        web(digibuddy.user).get("/volunteers/schedule/", headers={"Accept-Language": "en"}).content.decode()
    )
    assert "10:00" in body  # 09:00 UTC is 10:00 in Brussels
    assert "An" in body
    assert "Peeters" not in body
    # The phone in any notation (a bare "470" could occur in the random feed token).
    for notation in ("470555555", "470 55 55 55", "0470 55"):
        assert notation not in body
