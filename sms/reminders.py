"""The SMS an appointment causes: its confirmation and its reminder, written with the booking.

Both are outbox rows in the booking's transaction; the dispatcher (sms.outbox) sends them. A
unique key makes each impossible to queue twice, and cancelling the appointment cancels its
reminder in the same transaction. SMS bookings get their confirmation as the webhook's reply.
"""

import datetime

from django.conf import settings

from appointments.models import Appointment
from sms import outbox
from sms.models import OutboundMessage
from sms.texts import render

DEFAULT_HOURS_BEFORE = 24
LANGUAGES = ("nl", "fr", "en")  # the languages SMS are written in; others fall back


def hours_before() -> int:
    return getattr(settings, "REMINDER_HOURS_BEFORE", DEFAULT_HOURS_BEFORE)


def key(appointment: Appointment) -> str:
    return f"reminder:{appointment.pk}"


def text(appointment: Appointment) -> str:
    language = appointment.language if appointment.language in LANGUAGES else appointment.citizen.language
    digipunt = appointment.digipunt
    return render(
        "reminder",
        language,
        start=appointment.start,
        place=digipunt.display_short_name,
        address=digipunt.street,
        bring=appointment.topic.what_to_bring_in(language),
    )


def confirmation_text(appointment: Appointment) -> str:
    language = appointment.language if appointment.language in LANGUAGES else appointment.citizen.language
    return render(
        "confirmed",
        language,
        start=appointment.start,
        place=appointment.digipunt.name,
        address=appointment.digipunt.address,
        bring=appointment.topic.what_to_bring_in(language),
        code=appointment.code,
    )


def confirm(appointment: Appointment, *, now: datetime.datetime) -> OutboundMessage | None:
    """Text the confirmation of a booking made by phone, at the counter or through the API."""
    return outbox.queue(**confirmation_values(appointment, now=now))


def confirmation_values(appointment: Appointment, *, now: datetime.datetime) -> dict:
    """What `confirm` queues (for outbox.queue or outbox.prepare)."""
    citizen = appointment.citizen
    return {
        "municipality_id": appointment.digipunt.municipality_id,
        "to": citizen.phone,
        "citizen": citizen,
        "body": confirmation_text(appointment),
        "kind": OutboundMessage.Kind.CONFIRMATION,
        "due_at": now,
        "appointment": appointment,
        "key": f"confirmation:{appointment.pk}",
    }


def schedule(appointment: Appointment, *, now: datetime.datetime) -> OutboundMessage | None:
    """Queue the reminder, unless the citizen cannot get SMS or the appointment is too close."""
    values = reminder_values(appointment, now=now)
    return None if values is None else outbox.queue(**values)


def reminder_values(appointment: Appointment, *, now: datetime.datetime) -> dict | None:
    """What `schedule` queues (for outbox.queue or outbox.prepare), None when there is nothing to queue."""
    citizen = appointment.citizen
    due = appointment.start - datetime.timedelta(hours=hours_before())
    if not citizen.can_receive_sms or due <= now:
        return None
    return {
        "municipality_id": appointment.digipunt.municipality_id,
        "to": citizen.phone,
        "citizen": citizen,
        "body": text(appointment),
        "kind": OutboundMessage.Kind.REMINDER,
        "due_at": due,
        "appointment": appointment,
        "key": key(appointment),
    }


def schedule_missing(*, now: datetime.datetime) -> int:
    """Reminders for coming appointments that have none yet (e.g. the citizen opted in again)."""
    window = now + datetime.timedelta(hours=hours_before() + 24)
    pending = (
        Appointment.objects.filter(status=Appointment.Status.BOOKED, start__gt=now, start__lte=window)
        .exclude(outbound_messages__kind=OutboundMessage.Kind.REMINDER)
        .select_related("citizen", "digipunt", "topic")
    )
    return sum(schedule(appointment, now=now) is not None for appointment in pending)


def cancel(appointment: Appointment) -> int:
    return OutboundMessage.objects.filter(
        appointment=appointment,
        kind=OutboundMessage.Kind.REMINDER,
        status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING],
    ).update(status=OutboundMessage.Status.CANCELLED)
