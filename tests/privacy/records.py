"""A citizen with every kind of record, and what would still tell who they were."""

import datetime

from appointments.models import Appointment, AppointmentEvent, WaitlistEntry, WalkIn
from conversations.models import CallbackRequest
from help_requests import network, stats
from help_requests.models import HelpRequest
from helpdesk.models import Citizen, Topic
from sms.models import InboundMessage, OutboundMessage
from tests.conftest import FROZEN_NOW
from tests.factories import AppointmentFactory, CitizenFactory

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


def statistics_snapshot(municipality_ids):
    year = stats.Period.ending(None, FROZEN_NOW.date())
    return {
        "summary": stats.summary(municipality_ids, year),
        "network": network.network(stats.Period.year(2026), 1),
    }
