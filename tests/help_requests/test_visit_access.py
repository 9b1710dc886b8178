"""The log-help form for a visit (?appointment= or ?walk_in=) tells nobody whether an id exists:
a record the caller may not see answers exactly like one that is not there (404)."""

import datetime

import pytest

from appointments.models import WalkIn
from tests.factories import AppointmentFactory, bookable_volunteer

pytestmark = pytest.mark.django_db
MISSING = 987_654


@pytest.fixture
def visits_in_a(municipality_a, digipunt_a, frozen_now, taxes):
    vera = bookable_volunteer(municipality_a, [digipunt_a], username="vera")
    appointment = AppointmentFactory(
        digipunt=digipunt_a, volunteer=vera, start=frozen_now + datetime.timedelta(hours=1)
    )
    ticket = WalkIn.objects.create(
        digipunt=digipunt_a, day=frozen_now.date(), number=1, topic=taxes, language="nl",
        arrived_at=frozen_now,
    )  # fmt: skip
    return appointment, ticket


@pytest.mark.parametrize("kind", ["appointment", "walk_in"])
def test_another_municipalitys_visit_is_not_found_like_a_missing_one(
    kind, visits_in_a, outsider, digipunt_b, web
):
    appointment, ticket = visits_in_a
    record = appointment if kind == "appointment" else ticket
    client = web(outsider)
    theirs = client.get("/help/log/", {kind: record.pk})
    missing = client.get("/help/log/", {kind: MISSING})
    assert missing.status_code == 404
    assert theirs.status_code == 404
    # Posting tells no more than looking.
    assert client.post(f"/help/log/?{kind}={record.pk}", {}).status_code == 404


def test_another_volunteers_appointment_is_not_found(visits_in_a, municipality_a, digipunt_a, web):
    appointment, _ticket = visits_in_a
    colleague = bookable_volunteer(municipality_a, [digipunt_a], username="colleague")
    client = web(colleague.user)
    assert client.get("/help/log/", {"appointment": appointment.pk}).status_code == 404
    assert client.get("/help/log/", {"appointment": MISSING}).status_code == 404


def test_a_volunteer_cannot_log_a_walk_in_of_their_digipunt(visits_in_a, municipality_a, digipunt_a, web):
    _appointment, ticket = visits_in_a
    helper = bookable_volunteer(municipality_a, [digipunt_a], username="helper")
    assert web(helper.user).get("/help/log/", {"walk_in": ticket.pk}).status_code == 404


def test_whose_it_is_still_opens_it(visits_in_a, staff_a, web):
    appointment, ticket = visits_in_a
    client = web(staff_a)
    assert client.get("/help/log/", {"appointment": appointment.pk}).status_code == 200
    assert client.get("/help/log/", {"walk_in": ticket.pk}).status_code == 200
    own = web(appointment.volunteer.user).get("/help/log/", {"appointment": appointment.pk})
    assert own.status_code == 200
