"""STOP and START: opting out of every SMS, and back in."""

from appointments.models import Appointment
from conversations.models import Conversation
from sms import optout
from sms.dialogue.state import Event, Reply, State
from sms.models import OutboundMessage
from sms.texts import render


def opt_out(citizen, now, language) -> Reply:
    optout.record(citizen, why=optout.STOP)
    # Nothing more goes out: queued reminders and offers are cancelled with the opt-out.
    OutboundMessage.objects.filter(
        citizen=citizen, status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]
    ).update(status=OutboundMessage.Status.CANCELLED, last_error="opted out")
    Conversation.objects.filter(citizen=citizen).update(state=State.IDLE, data={}, expires_at=None)
    return Reply(render("opted_out", language), Event.OPTED_OUT)


def opt_in(citizen, now) -> Reply:
    optout.lift(citizen)
    # Reminders cancelled by the opt-out come back for appointments still ahead.
    OutboundMessage.objects.filter(
        citizen=citizen,
        kind=OutboundMessage.Kind.REMINDER,
        status=OutboundMessage.Status.CANCELLED,
        last_error="opted out",
        due_at__gt=now,
        appointment__status=Appointment.Status.BOOKED,
    ).update(status=OutboundMessage.Status.QUEUED, last_error="")
    return Reply(render("opted_in", citizen.language), Event.OPTED_IN)
