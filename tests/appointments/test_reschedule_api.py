"""POST /api/v1/appointments/<id>/reschedule/ {start}: both or neither, through lifecycle.reschedule."""

import pytest

from appointments.models import Appointment
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

BOOKING = {
    "topic": "taxes",
    "start": "2026-11-30T09:00:00+01:00",
    "language": "nl",
    "channel": "phone",
    "citizen": {"phone": "0470 12 34 56", "name": "An Peeters"},
    "notes": "spreekt Frans, liefst donderdag",
}


@pytest.fixture
def booked(api, staff_a, vera, digipunt_a):
    response = api(staff_a).post(
        "/api/v1/appointments/", {**BOOKING, "digipunt": digipunt_a.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _reschedule(client, appointment_id, body):
    return client.post(f"/api/v1/appointments/{appointment_id}/reschedule/", body, format="json")


def test_reschedule_answers_the_new_appointment_like_a_booking(api, staff_a, booked, mailoutbox):
    response = _reschedule(api(staff_a), booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 201, response.json()
    new = response.json()
    assert set(new) == set(booked)  # the same shape as POST /api/v1/appointments/
    assert new["id"] != booked["id"]
    assert new["start"] == "2026-11-30T11:00:00+01:00"
    assert new["status"] == "booked"
    assert new["notes"] == BOOKING["notes"]
    assert new["citizen"] == booked["citizen"]
    old = Appointment.objects.get(pk=booked["id"])
    assert old.status == "cancelled"
    assert old.cancel_reason == "Verplaatst"
    assert Appointment.objects.get(pk=new["id"]).rescheduled_from == old


def test_taken_time_is_409_with_alternatives_and_leaves_the_old_one(
    api, staff_a, booked, digipunt_a, municipality_a
):
    client = api(staff_a)
    other = {**BOOKING, "digipunt": digipunt_a.pk, "start": "2026-11-30T11:00:00+01:00"}
    other["citizen"] = {"phone": "0470 99 99 99"}
    assert client.post("/api/v1/appointments/", other, format="json").status_code == 201
    response = _reschedule(client, booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert body["alternatives"]  # same body style as a taken booking
    assert {"start", "end", "digipunt", "digipunt_name"} == set(body["alternatives"][0])
    old = Appointment.objects.get(pk=booked["id"])
    assert old.status == "booked"  # neither: the old appointment stays as it was
    assert Appointment.objects.filter(status="booked").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "start"),
        ({"start": "tomorrow"}, "start"),
        ({"start": "2026-11-30T09:15:00+01:00"}, "start"),  # off the grid
        ({"start": "2026-11-30T20:00:00+01:00"}, "start"),  # closed
        ({"start": "2020-01-01T10:00:00+01:00"}, "start"),  # the past
        ({"start": "9999-12-31T23:30:00-01:00"}, "start"),
    ],
)
def test_bad_start_is_400_and_changes_nothing(api, staff_a, booked, body, field):
    response = _reschedule(api(staff_a), booked["id"], body)
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert Appointment.objects.get().status == "booked"


def test_an_appointment_that_cannot_move_is_409(api, staff_a, booked):
    client = api(staff_a)
    assert client.post(f"/api/v1/appointments/{booked['id']}/cancel/").status_code == 200
    response = _reschedule(client, booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert Appointment.objects.count() == 1


def test_an_erased_citizens_appointment_cannot_move(api, staff_a, booked):
    Appointment.objects.filter(pk=booked["id"]).update(citizen=None)
    response = _reschedule(api(staff_a), booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 409
    assert Appointment.objects.get().status == "booked"


def test_outside_the_callers_municipality_is_404(api, outsider, booked):
    response = _reschedule(api(outsider), booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 404
    assert Appointment.objects.get().status == "booked"


def test_volunteers_cannot_reschedule(api, volunteer_a, booked):
    response = _reschedule(api(volunteer_a), booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 403


def test_the_citizens_other_appointment_at_the_new_time_is_409(api, staff_a, booked, digipunt_a):
    client = api(staff_a)
    second = {**BOOKING, "digipunt": digipunt_a.pk, "topic": "banking", "start": "2026-11-30T11:00:00+01:00"}
    assert client.post("/api/v1/appointments/", second, format="json").status_code == 201
    response = _reschedule(client, booked["id"], {"start": "2026-11-30T11:00:00+01:00"})
    assert response.status_code == 409
    assert Appointment.objects.get(pk=booked["id"]).status == "booked"
    assert CitizenFactory._meta.model.objects.count() == 1
