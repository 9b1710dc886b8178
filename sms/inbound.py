"""An inbound SMS from the webhook (or the simulator): store it, answer it once.

The message row is written first, keyed by MessageSid, in the same transaction as everything the
message causes; a repeated MessageSid finds the row and gets the same reply, nothing more. A
concurrent duplicate waits on the unique index until the first commits, then does the same.
"""

import datetime
import logging
import re

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conversations import callbacks, understanding
from conversations.models import CallbackRequest
from helpdesk import locks, phones
from helpdesk.models import Citizen, Municipality
from helpdesk.sql import announce_created, insert_statement, mark_saved
from privacy import audit
from sms import conversation, optout, outbox
from sms.models import InboundMessage
from sms.texts import render

logger = logging.getLogger(__name__)
Event = InboundMessage.Event
SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The sender's citizen statement, asked again when another transaction changed the row under it.
SENDER_ATTEMPTS = 3
_ON_CONFLICT = 'ON CONFLICT ("municipality_id", "phone") DO NOTHING RETURNING *'


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
    message = InboundMessage(
        message_sid=sid, from_number=sender_key(from_), to_number=to, body=body, received_at=now
    )
    with transaction.atomic():
        if not _store_new(message):
            return InboundMessage.objects.get(message_sid=sid).reply
        # No savepoint around the answer (two statements a step): when it fails, the whole
        # transaction is rolled back, the message too, and stored again with the failure's answer.
        try:
            # A new citizen's audit entry is written with its conversation's INSERT
            # (conversations/state.py: save); a failed answer leaves no entry.
            with audit.collected():
                event, reply = _answer(message, now, simulated)
        except Exception as error:  # answered below, in a transaction of its own
            failure = error
            transaction.set_rollback(True)
        else:
            message.event, message.reply = event, reply
            message.save(update_fields=["municipality", "citizen", "event", "reply"])
            return reply
    return _answer_failure(message, failure, now)


def _answer_failure(failed: InboundMessage, error: Exception, now: datetime.datetime) -> str:
    """Store the message whose answer failed (rolled back, all of it) and answer the failure.
    A duplicate that came in meanwhile may have stored and answered it: then its reply counts."""
    message = InboundMessage(
        message_sid=failed.message_sid,
        from_number=failed.from_number,
        to_number=failed.to_number,
        body=failed.body,
        received_at=failed.received_at,
        municipality=failed.municipality,
    )
    with transaction.atomic():
        if not _store_new(message):
            return InboundMessage.objects.get(message_sid=message.message_sid).reply
        if locks.busy(error):
            # Someone else held this citizen's or this digipunt's rows too long: nothing of the
            # answer was kept, so asking again is safe. Every channel answers so.
            logger.warning("Inbound SMS %s: busy (lock timeout), asked to send again", message.message_sid)
            event, reply = _busy(message)
        else:
            # A bug must not lose the message or leave the citizen without an answer: the message
            # is stored, staff are asked to call, and the citizen is told so.
            logger.error("Inbound SMS %s could not be handled", message.message_sid, exc_info=error)
            event, reply = _failed(message, now)
        message.event, message.reply = event, reply
        message.save(update_fields=["municipality", "citizen", "event", "reply"])
    return reply


def _store_new(message: InboundMessage) -> bool:
    """INSERT ... ON CONFLICT (message_sid) DO NOTHING RETURNING id: False for a MessageSid
    already stored. One statement and no savepoint: a concurrent duplicate waits on the unique
    index until the first commits, then inserts nothing."""
    insert, values = insert_statement(message)
    quote = connection.ops.quote_name
    statement = f"{insert} ON CONFLICT ({quote('message_sid')}) DO NOTHING RETURNING {quote('id')}"
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        row = cursor.fetchone()
    if row is None:
        return False
    mark_saved(message, row[0])
    return True


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
    # The sender's messages of the last hour are counted in the same statement (the hourly limit
    # below), so the limit costs no round trip of its own.
    recent = (
        InboundMessage.objects.filter(
            from_number=message.from_number, received_at__gt=now - datetime.timedelta(hours=1)
        )
        .exclude(pk=message.pk)
        .order_by()
        .values("from_number")
        .annotate(n=Count("pk"))
        .values("n")
    )
    municipality = (
        Municipality.objects.filter(sms_number=to_number)
        .annotate(recent_messages=Coalesce(Subquery(recent), 0))
        .first()
        if to_number
        else None
    )
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
    opting = understanding.is_opt_out(message.body) or understanding.is_opt_in(message.body)
    if municipality.recent_messages >= settings.SMS_INBOUND_PER_HOUR and not opting:  # STOP always works
        logger.warning("Inbound SMS from %s over the hourly limit: stored, not answered", sender)
        return Event.RATE_LIMITED, ""
    citizen = _locked_citizen(municipality, sender, now, simulated)
    message.citizen = citizen
    reply = conversation.handle(citizen, message.body, now=now)
    text = reply.text
    if text and outbox.record_reply(citizen=citizen, body=text, now=now) is None:
        logger.warning("No reply to %s: daily SMS limit reached", sender)
        text = ""
    return reply.event, text


def _locked_citizen(municipality, sender, now, simulated: bool) -> Citizen:
    """The sender's citizen row, created if new, locked for this transaction and marked as in
    contact now, in one statement on PostgreSQL whether it is new or known (`_sender_rows`).
    Citizens come first: the lowest lock rank, before the conversation and any booking rows.

    A new row is written without save(), so what saving would do is done here: the remembered
    opt-out of an erased number inside the statement (sms.optout.forget_erased_sql, the one rule
    the pre_save receiver also follows), and post_save sent as saving sends it (the audit entry).
    An empty answer (the same number's first message at the same moment, or the row erased while
    we waited) is asked again: the next statement sees what the other transaction committed."""
    for _attempt in range(SENDER_ATTEMPTS):
        rows = _sender_rows(municipality, sender, now, simulated)
        if rows:
            break
    else:
        raise locks.LockTimeout("The sender's citizen row changed under every attempt.")
    citizen = rows[0]
    citizen.municipality = municipality
    if getattr(citizen, "inserted", False):
        announce_created(citizen)
    return citizen


def _sender_rows(municipality, sender, now, simulated: bool) -> list[Citizen]:
    new = Citizen(
        municipality=municipality,
        phone=sender,
        language=municipality.default_language,
        simulated=simulated,
        last_contact_at=now,
    )
    where, key = _sender_where(new)
    found, found_params = _found_sql(new, where, key)
    if connection.vendor == "postgresql":
        # `seen` (the row as this statement's snapshot has it) tells "not there" from "erased
        # while the UPDATE waited for it": then nothing is written and the caller asks again, so
        # that the insert sees the opt-out the erasure remembered.
        erased, erased_params = optout.forget_erased_sql(
            municipality.pk, sender, condition="NOT EXISTS (SELECT 1 FROM seen)"
        )
        made, made_params = _made_sql(new, opted_out="EXISTS (SELECT 1 FROM erased)")
        sql = (
            f"WITH seen AS (SELECT 1 FROM {_table()} WHERE {where}), found AS ({found}), "
            f"erased AS ({erased}), made AS ({made} WHERE NOT EXISTS (SELECT 1 FROM seen) {_ON_CONFLICT}) "
            "SELECT *, false AS inserted FROM found UNION ALL SELECT *, true AS inserted FROM made"
        )
        return locks.run(Citizen, sql, [*key, *found_params, *erased_params, *made_params])
    # SQLite serialises write transactions: the same steps, one statement each.
    rows = locks.run(Citizen, found, found_params)
    if rows:
        return rows
    remembered = optout.forget_erased(municipality.pk, sender)
    made, made_params = _made_sql(new, opted_out="TRUE" if remembered else "FALSE")
    # WHERE TRUE: SQLite would read the ON of ON CONFLICT as a join's after a bare SELECT.
    return locks.run(Citizen, f"{made} WHERE TRUE {_ON_CONFLICT}, 1 AS inserted", made_params)


def _table() -> str:
    return connection.ops.quote_name(Citizen._meta.db_table)


def _sender_where(new: Citizen) -> tuple[str, list]:
    phone = Citizen._meta.get_field("phone").get_db_prep_save(new.phone, connection)
    return '"municipality_id" = %s AND "phone" = %s', [new.municipality_id, phone]


def _found_sql(new: Citizen, where: str, key: list) -> tuple[str, list]:
    """The known citizen, locked by the UPDATE itself (it changes no key column, so the lock is
    FOR NO KEY UPDATE's), in contact now; a real phone texting from a simulated citizen's number
    makes it a real citizen."""
    stamp = Citizen._meta.get_field("last_contact_at").get_db_prep_save(new.last_contact_at, connection)
    sql = (
        f'UPDATE {_table()} SET "last_contact_at" = %s, "simulated" = ("simulated" AND %s) '
        f"WHERE {where} RETURNING *"
    )
    return sql, [stamp, new.simulated, *key]


def _made_sql(new: Citizen, *, opted_out: str) -> tuple[str, list]:
    """INSERT ... SELECT of the new row (its opt-out an SQL expression), for a WHERE to follow."""
    return insert_statement(new, select=True, sql_values={"sms_opt_out": opted_out})
