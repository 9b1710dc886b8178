"""An inbound SMS from the webhook (or the simulator): store it, answer it once.

The message row is written first, keyed by MessageSid, in the same transaction as everything the
message causes; a repeated MessageSid finds the row and gets the same reply, nothing more. A
concurrent duplicate waits on the unique index until the first commits, then does the same.
"""

import datetime
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from conversations import callbacks, understanding
from conversations.models import CallbackRequest
from helpdesk import locks, phones
from helpdesk.models import Citizen, Municipality
from sms import conversation, outbox
from sms.models import InboundMessage
from sms.texts import render

logger = logging.getLogger(__name__)
Event = InboundMessage.Event
SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Malformed(ValueError):
    """The request is not an SMS we can store (HTTP 400)."""


def clean_body(body: str) -> str:
    return CONTROL.sub("", body or "")[: understanding.MAX_LENGTH]


def sender_key(from_: str) -> str:
    """How a sender is stored and counted: E.164 when it is a phone number, so that +32470630001,
    0470630001 and 0032470630001 are one sender to the hourly limit (and to an erasure); a sender
    ID that is no number stays as received."""
    number = phones.parse(from_)
    return number.as_e164 if number is not None else from_


def receive(
    *, sid: str, from_: str, to: str, body: str, now: datetime.datetime | None = None, simulated: bool = False
) -> str:
    """Handle one inbound SMS and return the reply text ("" for no reply). `simulated`: typed in
    the SMS simulator (the citizen it creates never gets a real SMS)."""
    now = now or timezone.now()
    sid = (sid or "").strip()
    from_, to = (CONTROL.sub("", value or "").strip()[:40] for value in (from_, to))
    if not SID_PATTERN.match(sid):
        raise Malformed("MessageSid is missing or malformed.")
    if not from_ or not to:
        raise Malformed("From and To are required.")
    body = clean_body(body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    message_sid=sid, from_number=sender_key(from_), to_number=to, body=body, received_at=now
                )
        except IntegrityError:
            return InboundMessage.objects.get(message_sid=sid).reply
        try:
            with transaction.atomic():
                event, reply = _answer(message, now, simulated)
        except Exception as error:
            if locks.busy(error):
                # Someone else held this citizen's or this digipunt's rows too long: nothing of
                # the answer was kept, so asking again is safe. Every channel answers so.
                logger.warning("Inbound SMS %s: busy (lock timeout), asked to send again", sid)
                event, reply = _busy(message)
            else:
                # A bug must not lose the message or leave the citizen without an answer: the
                # message stays stored, staff are asked to call, and the citizen is told so.
                logger.exception("Inbound SMS %s could not be handled", sid)
                event, reply = _failed(message, now)
        message.event, message.reply = event, reply
        message.save(update_fields=["municipality", "citizen", "event", "reply"])
    return reply


def _busy(message: InboundMessage) -> tuple[str, str]:
    message.citizen = None  # the rolled-back work may have made the citizen row
    sender = phones.parse(message.from_number)
    if message.municipality_id is None or sender is None or not phones.can_receive_sms(sender):
        return Event.NONE, ""
    citizen = Citizen.objects.filter(municipality_id=message.municipality_id, phone=sender).first()
    message.citizen = citizen
    if citizen is not None and citizen.sms_opt_out:
        return Event.NONE, ""  # STOP means no texts, not even this one
    language = citizen.language if citizen is not None else message.municipality.default_language
    return Event.NONE, render("busy", language)


def _failed(message: InboundMessage, now: datetime.datetime) -> tuple[str, str]:
    message.citizen = None  # a citizen row made in the rolled-back work no longer exists
    sender = phones.parse(message.from_number)
    if message.municipality_id is None or sender is None or not phones.can_receive_sms(sender):
        return Event.NOT_UNDERSTOOD, ""
    message.citizen = Citizen.objects.filter(municipality_id=message.municipality_id, phone=sender).first()
    callbacks.request(
        citizen=message.citizen,
        municipality=message.municipality,
        phone=str(sender),
        reason=CallbackRequest.Reason.NOT_UNDERSTOOD,
        now=now,
    )
    return Event.CALLBACK, render("callback_soon", message.municipality.default_language)


def _answer(message: InboundMessage, now: datetime.datetime, simulated: bool) -> tuple[str, str]:
    to_number = phones.parse(message.to_number)
    municipality = Municipality.objects.filter(sms_number=to_number).first() if to_number else None
    if municipality is None:
        logger.warning("Inbound SMS %s to unknown number %s", message.message_sid, message.to_number)
        return Event.UNKNOWN_NUMBER, " / ".join(render("unknown_number", code) for code in ("nl", "fr", "en"))
    message.municipality = municipality
    sender = phones.parse(message.from_number)
    if sender is None:
        logger.warning("Inbound SMS %s from %r, not a phone number", message.message_sid, message.from_number)
        return Event.NOT_A_MOBILE, ""
    if not phones.can_receive_sms(sender):
        # A landline (or a number we cannot text back): no reply is attempted; staff phone instead.
        callbacks.request(
            citizen=None,
            municipality=municipality,
            phone=str(sender),
            reason=CallbackRequest.Reason.NOT_A_MOBILE,
            now=now,
        )
        return Event.NOT_A_MOBILE, ""
    recent = InboundMessage.objects.filter(
        from_number=sender.as_e164, received_at__gt=now - datetime.timedelta(hours=1)
    ).exclude(pk=message.pk)
    opting = understanding.is_opt_out(message.body) or understanding.is_opt_in(message.body)
    if recent.count() >= settings.SMS_INBOUND_PER_HOUR and not opting:  # STOP always works
        logger.warning("Inbound SMS from %s over the hourly limit: stored, not answered", sender)
        return Event.RATE_LIMITED, ""
    citizen, _created = Citizen.objects.get_or_create(
        municipality=municipality,
        phone=sender,
        defaults={"language": municipality.default_language, "simulated": simulated},
    )
    if citizen.simulated and not simulated:
        citizen.simulated = False  # a real phone texted from this number: it is a real citizen
    # The citizen first: the lowest lock rank, before the conversation and any booking rows.
    locks.lock(citizen)
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_at=now, simulated=citizen.simulated)
    message.citizen = citizen
    reply = conversation.handle(citizen, message.body, now=now)
    text = reply.text
    if text and outbox.over_daily_limit(citizen.phone, now) is not None:
        logger.warning("No reply to %s: daily SMS limit reached", sender)
        text = ""
    if text:
        outbox.record_reply(citizen=citizen, body=text, now=now)
    return reply.event, text
