"""Right of access and right to erasure (GDPR articles 15 and 17): the service and the API."""

import datetime

import pytest

from appointments.models import Appointment, WaitlistEntry
from conversations.models import CallbackRequest
from helpdesk.models import Citizen
from privacy import erasure as privacy
from privacy.models import AuditEvent
from sms import outbox
from sms.models import ErasedOptOut, InboundMessage, OutboundMessage
from tests.conftest import BRUSSELS
from tests.factories import AppointmentFactory, CitizenFactory
from tests.privacy.records import PHONE, citizen_with_history, personal_traces

pytestmark = pytest.mark.django_db


def test_erasure_removes_every_trace_and_unsent_messages_never_go(frozen_now, digipunt_a, staff_a):
    citizen, queued = citizen_with_history(digipunt_a)
    result = privacy.erase(citizen, by=staff_a)
    assert set(personal_traces().values()) == {0}
    queued.refresh_from_db()
    assert queued.status == OutboundMessage.Status.CANCELLED
    assert result["citizens"] == 1
    assert result["sms_sent"] == 3
    assert result["sms_received"] == 2
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.WITHDRAWN
    assert CallbackRequest.objects.get().status == CallbackRequest.Status.DONE
    # The audit log says it happened, without keeping what was erased.
    entry = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert entry.actor == staff_a
    assert entry.subject_id == citizen.pk
    assert PHONE not in entry.detail


def test_erasure_cancels_upcoming_appointments_and_frees_the_time(frozen_now, digipunt_a, staff_a):
    citizen, _ = citizen_with_history(digipunt_a)
    upcoming = AppointmentFactory(
        digipunt=digipunt_a, citizen=citizen, start=frozen_now + datetime.timedelta(days=4)
    )
    result = privacy.erase(citizen, by=staff_a)
    upcoming.refresh_from_db()
    assert result["appointments_cancelled"] == 1
    assert upcoming.status == Appointment.Status.CANCELLED
    assert upcoming.citizen is None


def test_api_erase_answers_what_was_erased(frozen_now, api, digipunt_a, staff_a):
    citizen_with_history(digipunt_a)
    response = api(staff_a).post("/api/v1/citizens/erase/", {"phone": "0470 12 34 56"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phone"] == PHONE
    assert body["found"] is True
    assert body["erased"]["citizens"] == 1
    assert body["erased"]["sms_received"] == 2
    again = api(staff_a).post("/api/v1/citizens/erase/", {"phone": PHONE}, format="json")
    assert again.json() == {"phone": PHONE, "found": False, "erased": {}}


def test_api_erase_is_scoped_to_the_callers_municipality(frozen_now, api, digipunt_a, outsider):
    citizen_with_history(digipunt_a)
    response = api(outsider).post("/api/v1/citizens/erase/", {"phone": PHONE}, format="json")
    assert response.json()["found"] is False
    assert Citizen.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize("payload", [{}, {"phone": "hello"}, {"phone": ["+32470123456"]}, {"phone": "+3212"}])
def test_api_erase_rejects_bad_input(api, staff_a, payload):
    response = api(staff_a).post("/api/v1/citizens/erase/", payload, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()


def test_api_erase_is_for_office_members_only(api, volunteer_a):
    assert api(None).post("/api/v1/citizens/erase/", {"phone": PHONE}, format="json").status_code in (
        401,
        403,
    )
    assert (
        api(volunteer_a).post("/api/v1/citizens/erase/", {"phone": PHONE}, format="json").status_code == 403
    )


def test_exports_give_brussels_time_with_its_offset(frozen_now, digipunt_a):
    citizen, _ = citizen_with_history(digipunt_a, when=datetime.datetime(2026, 7, 1, 10, tzinfo=BRUSSELS))
    exported = privacy.export(citizen)
    assert exported["appointments"][0]["start"] == "2026-07-01T10:00:00+02:00"


def test_a_citizen_at_the_desk_can_be_erased_and_the_visit_goes_on(frozen_now, digipunt_a, staff_a):
    citizen, _ = citizen_with_history(digipunt_a)
    at_desk = AppointmentFactory(
        digipunt=digipunt_a, citizen=citizen, start=frozen_now, status=Appointment.Status.CHECKED_IN
    )
    result = privacy.erase(citizen, by=staff_a)
    at_desk.refresh_from_db()
    assert result["appointments_cancelled"] == 0
    assert at_desk.status == Appointment.Status.CHECKED_IN
    assert at_desk.citizen is None


def test_erasing_twice_is_harmless(frozen_now, web, digipunt_a, staff_a):
    citizen, _ = citizen_with_history(digipunt_a)
    assert privacy.erase(citizen)["citizens"] == 1
    assert privacy.erase(citizen) == {}
    assert web(staff_a).post(f"/privacy/citizens/{citizen.pk}/erase/", {"confirm": "on"}).status_code == 404


def test_a_worker_holding_a_message_cannot_requeue_it_after_erasure(frozen_now, digipunt_a):
    citizen, queued = citizen_with_history(digipunt_a)
    OutboundMessage.objects.filter(pk=queued.pk).update(
        status=OutboundMessage.Status.SENDING, claim_token="worker-1", claimed_until=frozen_now
    )
    privacy.erase(citizen)
    # The worker's send failed for a while: it would put the message back in the queue.
    assert not outbox._finish(queued, "worker-1", status=OutboundMessage.Status.QUEUED)
    queued.refresh_from_db()
    assert queued.status == OutboundMessage.Status.CANCELLED


def test_api_erases_a_number_that_never_became_a_citizen(frozen_now, api, digipunt_a, staff_a):
    """A landline texted: only a call-back and the message hold the number."""
    municipality = digipunt_a.municipality
    landline = "+3292345678"
    CallbackRequest.objects.create(
        municipality=municipality, phone=landline, reason="not_a_mobile", created_at=frozen_now
    )
    InboundMessage.objects.create(
        message_sid="SMlandline",
        municipality=municipality,
        from_number=landline,
        to_number=str(municipality.sms_number),
        body="bel mij",
        received_at=frozen_now,
    )
    body = api(staff_a).post("/api/v1/citizens/erase/", {"phone": "09 234 56 78"}, format="json").json()
    assert body["found"] is True
    assert body["erased"] == {"sms_received": 1, "callbacks": 1}
    assert not CallbackRequest.objects.filter(phone=landline).exists()
    assert CallbackRequest.objects.get().status == CallbackRequest.Status.DONE
    assert not InboundMessage.objects.filter(from_number=landline).exists()


def test_a_network_admin_names_the_municipality(frozen_now, api, digipunt_a, digipunt_b, network_admin):
    citizen_with_history(digipunt_a)
    citizen_with_history(digipunt_b)
    client = api(network_admin)
    refused = client.post("/api/v1/citizens/erase/", {"phone": PHONE}, format="json")
    assert refused.status_code == 400
    assert "municipality" in refused.json()
    body = client.post(
        "/api/v1/citizens/erase/", {"phone": PHONE, "municipality": digipunt_a.municipality_id}, format="json"
    ).json()
    assert body["erased"]["citizens"] == 1
    assert Citizen.objects.filter(phone=PHONE, municipality=digipunt_b.municipality).exists()


def test_staff_cannot_erase_in_another_municipality_by_naming_it(api, staff_a, municipality_b):
    response = api(staff_a).post(
        "/api/v1/citizens/erase/", {"phone": PHONE, "municipality": municipality_b.pk}, format="json"
    )
    assert response.status_code == 400


def test_an_opt_out_outlives_the_erasure(frozen_now, digipunt_a):
    """STOP, then erasure, then staff book by phone: no texts to this number."""
    citizen, _ = citizen_with_history(digipunt_a)
    Citizen.objects.filter(pk=citizen.pk).update(sms_opt_out=True)
    citizen.refresh_from_db()
    privacy.erase(citizen)
    assert not ErasedOptOut.objects.filter(number_hash__contains="470123456").exists()  # hashed
    again = Citizen.objects.create(municipality=digipunt_a.municipality, phone=PHONE)
    assert again.sms_opt_out is True
    assert not ErasedOptOut.objects.exists()  # the flag lives on the citizen again
    other_town = Citizen.objects.create(municipality=CitizenFactory().municipality, phone=PHONE)
    assert other_town.sms_opt_out is False
