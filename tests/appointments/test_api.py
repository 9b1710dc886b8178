import datetime

import pytest

from appointments.models import Appointment
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

BOOKING = {
    "topic": "taxes",
    "start": "2026-11-30T09:00:00+01:00",
    "language": "nl",
    "channel": "phone",
    "citizen": {"phone": "0470 12 34 56", "name": "An Peeters"},
}


def test_slots_are_listed_sorted_with_their_place(api, staff_a, vera, digipunt_a):
    response = api(staff_a).get(
        "/api/v1/slots/", {"topic": "taxes", "language": "nl", "from": "2026-11-30", "to": "2026-11-30"}
    )
    assert response.status_code == 200
    slots = response.json()
    assert slots[0] == {
        "start": "2026-11-30T09:00:00+01:00",
        "end": "2026-11-30T09:45:00+01:00",
        "digipunt": digipunt_a.pk,
        "digipunt_name": "Bibliotheek A",
    }
    assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "astrology"}, "topic"),
        ({"topic": "taxes", "language": "xx"}, "language"),
        ({"topic": "taxes", "from": "2026-13-01"}, "date_from"),
        ({"topic": "taxes", "from": "2026-12-01", "to": "2026-11-01"}, "to"),
        ({"topic": "taxes", "from": "2026-12-01", "to": "2027-12-01"}, "to"),
    ],
)
def test_bad_slot_queries_are_field_errors(api, staff_a, params, field):
    response = api(staff_a).get("/api/v1/slots/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_booking_through_the_api(api, staff_a, vera, digipunt_a):
    response = api(staff_a).post(
        "/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "booked"
    assert body["start"] == "2026-11-30T09:00:00+01:00"
    assert body["citizen"]["phone"] == "+32470123456"
    assert body["volunteer"] == vera.pk
    assert body["topic"] == "taxes"


def test_taken_slot_is_409_with_the_next_free_ones(api, staff_a, vera, digipunt_a):
    client = api(staff_a)
    client.post("/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json")
    other = {**BOOKING, "digipunt": digipunt_a.pk, "citizen": {"phone": "0470 99 99 99"}}
    response = client.post("/api/v1/appointments/", other, format="json")
    assert response.status_code == 409
    # Vera, the only volunteer, is busy until 09:45: the next start on the grid is 10:00.
    assert response.json()["alternatives"][0]["start"] == "2026-11-30T10:00:00+01:00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-11-30T09:15:00+01:00"}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"topic": "nope"}, "topic"),
        ({"citizen": {"phone": "12345"}}, "citizen"),
        ({"channel": "pigeon"}, "channel"),
        ({"digipunt": 999999}, "digipunt"),
    ],
)
def test_bad_bookings_are_400_and_write_nothing(api, staff_a, vera, digipunt_a, change, field):
    response = api(staff_a).post(
        "/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Appointment.objects.exists()


def test_list_filters(api, staff_a, vera, digipunt_a):
    client = api(staff_a)
    client.post("/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json")
    assert len(client.get("/api/v1/appointments/", {"phone": "+32 470 12 34 56"}).json()["results"]) == 1
    assert (
        len(client.get("/api/v1/appointments/", {"date": "2026-11-30", "status": "booked"}).json()["results"])
        == 1
    )
    assert client.get("/api/v1/appointments/", {"date": "2026-12-01"}).json()["results"] == []
    assert client.get("/api/v1/appointments/", {"phone": "garbage"}).status_code == 400


def test_lifecycle_actions_and_409(api, staff_a, vera, digipunt_a, time_machine):
    client = api(staff_a)
    appointment = client.post(
        "/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json"
    ).json()
    url = f"/api/v1/appointments/{appointment['id']}"
    # Days ahead, check-in is refused; it opens an hour before the start.
    assert client.post(f"{url}/check-in/").status_code == 409
    time_machine.move_to(datetime.datetime(2026, 11, 30, 7, 30, tzinfo=datetime.UTC), tick=False)
    assert client.post(f"{url}/complete/").status_code == 409
    assert client.post(f"{url}/check-in/").json()["status"] == "checked_in"
    assert client.post(f"{url}/complete/").json()["status"] == "completed"
    assert client.post(f"{url}/cancel/", {"reason": "te laat"}, format="json").status_code == 409


def test_outsider_cannot_see_or_act_on_appointments_of_a(api, outsider, digipunt_a, digipunt_b):
    appointment = AppointmentFactory(digipunt=digipunt_a)
    client = api(outsider)
    assert client.get("/api/v1/appointments/").json()["results"] == []
    assert client.get(f"/api/v1/appointments/{appointment.pk}/").status_code == 404
    for action in ("cancel", "check-in", "complete", "no-show"):
        assert client.post(f"/api/v1/appointments/{appointment.pk}/{action}/").status_code == 404
    response = client.post("/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json")
    assert response.status_code == 400
    assert "digipunt" in response.json()
    assert client.get("/api/v1/slots/", {"topic": "taxes", "digipunt": digipunt_a.pk}).status_code == 400
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_volunteers_do_not_use_the_booking_api(api, volunteer_a):
    assert api(volunteer_a).get("/api/v1/appointments/").status_code == 403
    assert api(volunteer_a).get("/api/v1/slots/", {"topic": "taxes"}).status_code == 403
