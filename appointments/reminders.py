"""Reminders: an outbox row per appointment, due the day before, written with the booking.

The SMS dispatcher sends due rows; a unique key makes a reminder impossible to queue twice, and
cancelling the appointment cancels its reminder in the same transaction.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from appointments.models import Appointment
from sms.models import OutboundMessage

DEFAULT_HOURS_BEFORE = 24


def hours_before() -> int:
    return getattr(settings, "REMINDER_HOURS_BEFORE", DEFAULT_HOURS_BEFORE)


def key(appointment: Appointment) -> str:
    return f"reminder:{appointment.pk}"


def text(appointment: Appointment) -> str:
    language = appointment.citizen.language
    with translation.override(language):
        local = timezone.localtime(appointment.start)
        return render_to_string(
            "appointments/sms/reminder.txt",
            {
                "appointment": appointment,
                "day": formats.date_format(local, "l d/m"),
                "time": formats.time_format(local, "H:i"),
                "topic": appointment.topic.name_in(language),
                "bring": appointment.topic.what_to_bring_in(language),
            },
        ).strip()


def schedule(appointment: Appointment, *, now: datetime.datetime) -> OutboundMessage | None:
    """Queue the reminder, unless the citizen cannot get SMS or the appointment is too close."""
    citizen = appointment.citizen
    due = appointment.start - datetime.timedelta(hours=hours_before())
    if not citizen.can_receive_sms or due <= now:
        return None
    message, _created = OutboundMessage.objects.get_or_create(
        idempotency_key=key(appointment),
        defaults={
            "municipality_id": appointment.digipunt.municipality_id,
            "citizen": citizen,
            "to": citizen.phone,
            "body": text(appointment),
            "kind": OutboundMessage.Kind.REMINDER,
            "due_at": due,
            "appointment": appointment,
        },
    )
    return message


def cancel(appointment: Appointment) -> int:
    return OutboundMessage.objects.filter(
        appointment=appointment, kind=OutboundMessage.Kind.REMINDER, status=OutboundMessage.Status.QUEUED
    ).update(status=OutboundMessage.Status.CANCELLED)
