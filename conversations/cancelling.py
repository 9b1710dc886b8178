"""Cancelling: CANCEL asks about the next appointment; 9 cancels the reminded one at once.

Which appointment a reminder named is the channel's knowledge (SMS keeps its reminders): the
channel passes it to conversations.dialogue.handle as `reminded`.
"""

from django.db import transaction

from appointments import lifecycle
from appointments.models import Appointment
from conversations.reply import Event, Reply
from conversations.state import State, municipality_phone, not_understood, say, set_state, yes_or_no


def next_appointment(citizen, now) -> Appointment | None:
    return (
        Appointment.objects.filter(citizen=citizen, status=Appointment.Status.BOOKED, start__gt=now)
        .select_related("digipunt", "topic")
        .order_by("start")
        .first()
    )


def cancel_after_reminder(conversation, citizen, now, reminded) -> Reply:
    """ "9" answers the last reminder: that appointment is cancelled at once (the reminder named it)."""
    appointment = reminded(citizen, now) if reminded is not None else None
    if appointment is None:
        return ask_cancel(conversation, citizen, now)
    return do_cancel(conversation, citizen, appointment, now)


def ask_cancel(conversation, citizen, now) -> Reply:
    appointment = next_appointment(citizen, now)
    if appointment is None:
        set_state(conversation, State.IDLE, now)
        return say(conversation, "no_appointment")
    set_state(conversation, State.CANCEL, now, {"appointment": appointment.pk}, expires_at=appointment.start)
    return say(
        conversation,
        "cancel_question",
        start=appointment.start,
        place=appointment.digipunt.display_short_name,
    )


def confirm_cancel(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    appointment = Appointment.objects.filter(pk=conversation.data.get("appointment"), citizen=citizen).first()
    if not answer or appointment is None:
        set_state(conversation, State.IDLE, now)
        return say(conversation, "kept")
    return do_cancel(conversation, citizen, appointment, now)


def do_cancel(conversation, citizen, appointment, now) -> Reply:
    set_state(conversation, State.IDLE, now)
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
        return say(conversation, "cannot_cancel", phone=municipality_phone(citizen))
    try:
        with transaction.atomic():
            lifecycle.cancel(
                appointment, reason=conversation.channel.upper(), channel=conversation.channel, now=now
            )
    except lifecycle.InvalidTransition:
        return say(conversation, "cannot_cancel", phone=municipality_phone(citizen))
    return Reply(
        "cancelled",
        conversation.language,
        values={"start": appointment.start},
        event=Event.CANCELLED,
        appointment=appointment,
    )
