"""Right of access, right to erasure and the retention purge (GDPR)."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q

from appointments.models import Appointment, AppointmentEvent, WaitlistEntry, WalkIn
from help_requests import stats
from help_requests.models import HelpRequest
from helpdesk import jobs
from helpdesk.models import Citizen, Municipality, Topic
from privacy import erasure as privacy
from privacy.models import AuditEvent
from sms import outbox
from sms.models import CallbackRequest, ErasedOptOut, InboundMessage, OutboundMessage
from tests.conftest import BRUSSELS, FROZEN_NOW
from tests.factories import AppointmentFactory, CitizenFactory

pytestmark = pytest.mark.django_db

PHONE = "+32470123456"


def citizen_with_history(digipunt, *, phone=PHONE, when=None):
    """A citizen who booked, texted, waited, walked in, asked for a call and was helped."""
    when = when or FROZEN_NOW - datetime.timedelta(days=20)
    municipality = digipunt.municipality
    topic = Topic.objects.get(code="taxes")
    citizen = CitizenFactory(
        municipality=municipality, phone=phone, name="Maria Peeters", last_contact_at=when
    )
    past = AppointmentFactory(
        digipunt=digipunt,
        citizen=citizen,
        start=when,
        status=Appointment.Status.COMPLETED,
        notes="Brings her own laptop",
    )
    HelpRequest.objects.create(
        municipality=municipality,
        digipunt=digipunt,
        date=when.date(),
        channel="phone",
        duration_minutes=30,
        outcome="solved",
        appointment=past,
        note="Maria needed her itsme reset",
        **HelpRequest.buckets(when.date()),
    )
    WalkIn.objects.create(
        digipunt=digipunt,
        day=when.date(),
        number=WalkIn.objects.filter(digipunt=digipunt, day=when.date()).count() + 1,
        topic=topic,
        language="nl",
        name="Maria",
        citizen=citizen,
        status=WalkIn.Status.LEFT,
        arrived_at=when,
    )
    WaitlistEntry.objects.create(
        municipality=municipality, topic=topic, language="nl", citizen=citizen, channel="sms"
    )
    InboundMessage.objects.create(
        message_sid=f"SM{municipality.pk}-{phone[-8:]}",
        municipality=municipality,
        citizen=citizen,
        from_number=phone,
        to_number=str(municipality.sms_number),
        body="afspraak belastingen",
        reply="Er is geen vrij moment.",
        event=InboundMessage.Event.NO_SLOT,
        received_at=when,
    )
    InboundMessage.objects.create(  # over the hourly limit: stored, never linked to the citizen
        message_sid=f"SX{municipality.pk}-{phone[-8:]}",
        municipality=municipality,
        from_number=phone,
        to_number=str(municipality.sms_number),
        body="nog een bericht",
        event=InboundMessage.Event.RATE_LIMITED,
        received_at=when,
    )
    OutboundMessage.objects.create(
        municipality=municipality,
        citizen=citizen,
        to=phone,
        body="Herinnering: morgen 10:00",
        kind=OutboundMessage.Kind.REMINDER,
        status=OutboundMessage.Status.DELIVERED,
        due_at=when,
    )
    queued = OutboundMessage.objects.create(
        municipality=municipality,
        citizen=citizen,
        to=phone,
        body="U staat op de wachtlijst",
        kind=OutboundMessage.Kind.OTHER,
        due_at=FROZEN_NOW + datetime.timedelta(hours=1),
    )
    CallbackRequest.objects.create(
        municipality=municipality, citizen=citizen, phone=phone, reason="asked", created_at=when
    )
    cancelled = AppointmentFactory(
        digipunt=digipunt,
        citizen=citizen,
        start=when + datetime.timedelta(days=1),
        status=Appointment.Status.CANCELLED,
        cancel_reason="Maria is in the hospital",
    )
    AppointmentEvent.objects.create(
        appointment=cancelled, action="cancelled", at=when, note="Maria is in the hospital"
    )
    OutboundMessage.objects.create(
        municipality=municipality,
        citizen=citizen,
        to=phone,
        body="Uw afspraak is geannuleerd",
        kind=OutboundMessage.Kind.OTHER,
        status=OutboundMessage.Status.FAILED,
        last_error=f"The 'To' number {phone} is not a valid phone number",
        due_at=when,
    )
    return citizen, queued


def personal_traces(phone=PHONE):
    """Everything that would still tell who this person was."""
    return {
        "citizens": Citizen.objects.filter(phone=phone).count(),
        "inbound": InboundMessage.objects.filter(from_number=phone).count()
        + InboundMessage.objects.exclude(body="").count(),
        "outbound": OutboundMessage.objects.filter(to=phone).count()
        + OutboundMessage.objects.exclude(body="").count(),
        "callbacks": CallbackRequest.objects.filter(phone=phone).count(),
        "walk_in_names": WalkIn.objects.exclude(name="").count(),
        "appointment_notes": Appointment.objects.exclude(notes="").count(),
        "help_request_notes": HelpRequest.objects.exclude(note="").count(),
        "cancel_reasons": Appointment.objects.exclude(cancel_reason="").count(),
        "event_notes": AppointmentEvent.objects.exclude(note="").count(),
        "provider_errors": OutboundMessage.objects.exclude(last_error="").count(),
    }


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


def statistics_snapshot(municipality_ids):
    year = stats.Period.ending(None, FROZEN_NOW.date())
    return {
        "summary": stats.summary(municipality_ids, year),
        "network": stats.network(stats.Period.year(2026), 1),
    }


def test_erasure_and_purge_keep_every_statistic_unchanged(settings, digipunt_a):
    """The acceptance test: a year of demo data plus citizens with every kind of record; erase
    some on request, purge the rest on schedule; every figure stays the same."""
    settings.DEBUG = True
    with time_machine.travel(FROZEN_NOW, tick=False):
        call_command("seed_demo", verbosity=0)
        for index in range(3):
            citizen_with_history(digipunt_a, phone=f"+3247012345{index}")
        demodorp = Municipality.objects.get(name="Demodorp")
        ids = [demodorp.pk, digipunt_a.municipality_id]
        before = statistics_snapshot(ids)
        assert before["summary"]["total"] > 100  # the demo year is really there
        privacy.erase(Citizen.objects.get(phone="+32470123450"))
        assert statistics_snapshot(ids) == before
    # Two years on, every citizen is past retention: the purge erases them all.
    with time_machine.travel(FROZEN_NOW + datetime.timedelta(days=730), tick=False):
        purged = privacy.purge()
        assert purged["citizens"] > 0
        assert not Citizen.objects.exists()
    with time_machine.travel(FROZEN_NOW, tick=False):
        assert statistics_snapshot(ids) == before
    assert not InboundMessage.objects.exclude(body="").exists()
    assert not OutboundMessage.objects.exclude(body="").exists()


def test_purge_keeps_what_is_still_within_retention(frozen_now, digipunt_a):
    recent, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=30))
    old, _ = citizen_with_history(
        digipunt_a, phone="+32470999999", when=frozen_now - datetime.timedelta(days=400)
    )
    result = privacy.purge(now=frozen_now)
    assert result["citizens"] == 1
    assert Citizen.objects.filter(pk=recent.pk).exists()
    assert not Citizen.objects.filter(pk=old.pk).exists()
    # Texts of the recent citizen are past SMS retention (90 days)? No: 30 days, so kept.
    assert InboundMessage.objects.get(citizen=recent).body == "afspraak belastingen"
    # First names at the counter go after a week, whoever they were.
    assert not WalkIn.objects.exclude(name="").exists()
    # Running it again has nothing left to do.
    assert set(privacy.purge(now=frozen_now).values()) == {0}


def test_purge_spares_citizens_with_an_upcoming_appointment(frozen_now, digipunt_a):
    old, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    AppointmentFactory(digipunt=digipunt_a, citizen=old, start=frozen_now + datetime.timedelta(days=2))
    assert privacy.purge(now=frozen_now)["citizens"] == 0


def test_retention_is_per_municipality(frozen_now, digipunt_a):
    _citizen, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=100))
    assert privacy.purge(now=frozen_now)["citizens"] == 0
    Municipality.objects.filter(pk=digipunt_a.municipality_id).update(citizen_retention_days=60)
    assert privacy.purge(now=frozen_now)["citizens"] == 1


def test_the_background_jobs_purge(frozen_now, digipunt_a):
    citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    assert jobs.run_all(force=True)["purge_personal_data"]["citizens"] == 1
    assert not Citizen.objects.exists()


# The API ------------------------------------------------------------------------------------


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


# The staff page -----------------------------------------------------------------------------


def test_staff_find_export_and_erase(frozen_now, web, digipunt_a, staff_a):
    citizen, _ = citizen_with_history(digipunt_a)
    client = web(staff_a)
    found = client.post("/privacy/citizens/", {"phone": "0470/12.34.56"})
    assert found.status_code == 302
    assert found.url == f"/privacy/citizens/{citizen.pk}/"
    page = client.get(found.url)
    assert page.status_code == 200
    assert "Maria Peeters" in page.content.decode()
    export = client.get(f"/privacy/citizens/{citizen.pk}/export.json")
    data = json.loads(export.content)
    assert export["Content-Disposition"].startswith("attachment")
    assert data["citizen"]["phone"] == PHONE
    assert data["sms_received"][0]["body"] == "afspraak belastingen"
    assert data["appointments"][0]["notes"] == "Brings her own laptop"
    assert not client.post(f"/privacy/citizens/{citizen.pk}/erase/", {}).url.endswith("/citizens/")
    assert Citizen.objects.filter(pk=citizen.pk).exists()  # not confirmed: nothing happens
    erased = client.post(f"/privacy/citizens/{citizen.pk}/erase/", {"confirm": "on"})
    assert erased.status_code == 302
    assert not Citizen.objects.filter(pk=citizen.pk).exists()
    actions = set(AuditEvent.objects.filter(subject="citizen").values_list("action", flat=True))
    assert {"view", "export", "erase"} <= actions


def test_staff_lookup_of_an_unknown_or_bad_number(web, staff_a):
    client = web(staff_a)
    assert client.post("/privacy/citizens/", {"phone": "+32470000000"}, follow=True).status_code == 200
    bad = client.post("/privacy/citizens/", {"phone": "not a number"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["phone"]


def test_outsider_sees_and_erases_nothing_of_another_municipality(frozen_now, web, digipunt_a, outsider):
    citizen, _ = citizen_with_history(digipunt_a)
    client = web(outsider)
    assert client.post("/privacy/citizens/", {"phone": PHONE}).url == "/privacy/citizens/"
    assert client.get(f"/privacy/citizens/{citizen.pk}/").status_code == 404
    assert client.get(f"/privacy/citizens/{citizen.pk}/export.json").status_code == 404
    assert client.post(f"/privacy/citizens/{citizen.pk}/erase/", {"confirm": "on"}).status_code == 404
    assert Citizen.objects.filter(pk=citizen.pk).exists()


def test_volunteers_have_no_access_to_citizen_data(web, volunteer_a):
    assert web(volunteer_a).get("/privacy/citizens/").status_code == 403


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_public_privacy_and_accessibility_pages(client, municipality_a, path, language):
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    assert f'lang="{language[:2]}"' in response.content.decode()
    if path == "/privacy/":
        assert "Gemeente A" in response.content.decode()  # its retention periods are listed


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


def test_the_purge_spares_a_citizen_who_came_back_meanwhile(frozen_now, digipunt_a):
    """The purge lists stale citizens first; one who texts again before their turn is kept."""
    citizen, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    stale = Citizen.objects.filter(last_contact_at__lt=frozen_now - datetime.timedelta(days=365))
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_at=frozen_now)
    assert privacy.erase(citizen, reason="retention", still=Q(pk__in=stale)) == {}
    assert Citizen.objects.filter(pk=citizen.pk).exists()


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
