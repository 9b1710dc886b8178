"""Cancelling by SMS: CANCEL asks about the next appointment; 9 cancels the reminded one at once."""

from django.db import transaction

from appointments import lifecycle
from appointments.models import Appointment, Channel
from sms.dialogue.state import Event, Reply, State, _set, municipality_phone, not_understood, yes_or_no
from sms.models import OutboundMessage
from sms.texts import render


def next_appointment(citizen, now) -> Appointment | None:
    return (
        Appointment.objects.filter(citizen=citizen, status=Appointment.Status.BOOKED, start__gt=now)
        .select_related("digipunt")
        .order_by("start")
        .first()
    )


def cancel_after_reminder(conversation, citizen, now) -> Reply:
    """ "9" answers the last reminder: that appointment is cancelled at once (the reminder named it)."""
    reminded = (
        OutboundMessage.objects.filter(
            citizen=citizen,
            kind=OutboundMessage.Kind.REMINDER,
            status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.DELIVERED],
            appointment__status=Appointment.Status.BOOKED,
            appointment__start__gt=now,
        )
        .select_related("appointment")
        .order_by("-sent_at")
        .first()
    )
    if reminded is None:
        return ask_cancel(conversation, citizen, now)
    return do_cancel(conversation, citizen, reminded.appointment, now)


def ask_cancel(conversation, citizen, now) -> Reply:
    appointment = next_appointment(citizen, now)
    if appointment is None:
        _set(conversation, State.IDLE, now)
        return Reply(render("no_appointment", conversation.language))
    _set(conversation, State.CANCEL, now, {"appointment": appointment.pk}, expires_at=appointment.start)
    return Reply(
        render(
            "cancel_question",
            conversation.language,
            start=appointment.start,
            place=appointment.digipunt.display_short_name,
        )
    )


def confirm_cancel(conversation, citizen, message, now) -> Reply:
    answer = yes_or_no(message)
    if answer is None:
        return not_understood(conversation)
    appointment = Appointment.objects.filter(pk=conversation.data.get("appointment"), citizen=citizen).first()
    if not answer or appointment is None:
        _set(conversation, State.IDLE, now)
        return Reply(render("kept", conversation.language))
    return do_cancel(conversation, citizen, appointment, now)


def do_cancel(conversation, citizen, appointment, now) -> Reply:
    _set(conversation, State.IDLE, now)
    language = conversation.language
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
        return Reply(render("cannot_cancel", language, phone=municipality_phone(citizen)))
    try:
        with transaction.atomic():
            lifecycle.cancel(appointment, reason="SMS", channel=Channel.SMS, now=now)
    except lifecycle.InvalidTransition:
        return Reply(render("cannot_cancel", language, phone=municipality_phone(citizen)))
    return Reply(render("cancelled", language, start=appointment.start), Event.CANCELLED)
