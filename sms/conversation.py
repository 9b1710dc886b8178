"""The SMS side of the dialogue: one text in, one text out. Plain functions, no HTTP.

STOP and START are the channel's own (they are about texts); everything else goes to the
channel-neutral dialogue (conversations.dialogue), whose Reply sms.replies words as an SMS.
`handle` runs inside the webhook's transaction with the citizen locked, so two messages of one
citizen are answered one after the other.
"""

import datetime
from dataclasses import dataclass

from appointments.models import Appointment
from conversations import dialogue, understanding
from conversations.models import Conversation
from helpdesk.models import Citizen
from sms import optout, replies
from sms.models import InboundMessage, OutboundMessage
from sms.texts import render

Event = InboundMessage.Event


@dataclass
class Reply:
    text: str
    event: str = Event.NONE


def handle(citizen: Citizen, body: str, *, now: datetime.datetime) -> Reply:
    """Answer one message of `citizen` (call within a transaction)."""
    if understanding.is_opt_out(body):
        return opt_out(citizen, now, understanding.opt_out_language(body) or citizen.language)
    if understanding.is_opt_in(body):
        return opt_in(citizen, now)
    if citizen.sms_opt_out:
        return Reply("", Event.IGNORED)
    answer = dialogue.handle(citizen, body, channel="sms", now=now, reminded=reminded_appointment)
    return Reply(replies.text(answer), answer.event)


def reminded_appointment(citizen: Citizen, now: datetime.datetime) -> Appointment | None:
    """The appointment of the last reminder texted, still ahead: what "9" cancels at once."""
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
    return reminded.appointment if reminded is not None else None


def opt_out(citizen, now, language) -> Reply:
    optout.record(citizen, why=optout.STOP)
    # Nothing more goes out: queued reminders and offers are cancelled with the opt-out.
    OutboundMessage.objects.filter(
        citizen=citizen, status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]
    ).update(status=OutboundMessage.Status.CANCELLED, last_error="opted out")
    Conversation.objects.filter(citizen=citizen).update(
        state=Conversation.State.IDLE, data={}, expires_at=None
    )
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
