"""The outbox: queue an SMS with its cause, and the dispatcher that sends due ones exactly once.

Claiming marks rows `sending` with a token and an expiry in one short transaction (on PostgreSQL
`SELECT ... FOR UPDATE SKIP LOCKED`, so two dispatchers never take the same row; SQLite serialises
write transactions). Just before each send the claim is renewed and the row read afresh (so a
long batch never outlives its claim, and an opt-out or a cancellation made meanwhile counts); the
send happens outside any transaction and its result is written only while the claim is ours.
A worker that dies after claiming leaves a claim that expires, and the row is due again. The one
window left is a crash after Twilio accepted the message but before the row was marked sent: then
it is sent again (at least once; Twilio offers no idempotency key).
"""

import datetime
import logging
import random
from collections import Counter

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from helpdesk import outbox_claims, sql
from helpdesk.models import Citizen
from helpdesk.phones import can_receive_sms, parse
from helpdesk.sql import insert_statement, mark_saved
from sms import backends, gsm, optout
from sms.models import OutboundMessage

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status


def queue(
    *,
    municipality_id: int,
    to,
    body: str,
    kind: str,
    citizen: Citizen | None = None,
    appointment=None,
    due_at: datetime.datetime | None = None,
    key: str | None = None,
) -> OutboundMessage | None:
    """Write one outgoing SMS (call inside the transaction of its cause). Returns None when the
    citizen opted out or the number cannot receive SMS; with `key`, queuing twice is a no-op."""
    message = prepare(
        municipality_id=municipality_id,
        to=to,
        body=body,
        kind=kind,
        citizen=citizen,
        appointment=appointment,
        due_at=due_at,
    )
    if message is None:
        return None
    if key is None:
        message.save(force_insert=True)
        return message
    values = {field: getattr(message, field) for field in PREPARED_FIELDS}
    message, _created = OutboundMessage.objects.get_or_create(idempotency_key=key, defaults=values)
    return message


PREPARED_FIELDS = ("municipality_id", "citizen", "to", "body", "kind", "due_at", "appointment")


def prepare(
    *,
    municipality_id: int,
    to,
    body: str,
    kind: str,
    citizen: Citizen | None = None,
    appointment=None,
    due_at: datetime.datetime | None = None,
    key: str | None = None,
) -> OutboundMessage | None:
    """The unsaved row `queue` would write (None when the citizen opted out or the number cannot
    receive SMS), for `queue_once`."""
    if (citizen is not None and citizen.sms_opt_out) or not can_receive_sms(to):
        return None
    return OutboundMessage(
        municipality_id=municipality_id,
        citizen=citizen,
        to=to,
        body=gsm.fold(body),
        kind=kind,
        due_at=due_at or timezone.now(),
        appointment=appointment,
        idempotency_key=key,
    )


def queue_once(messages) -> None:
    """Write these prepared rows (each with an idempotency key; None is skipped), each an INSERT
    ... ON CONFLICT DO NOTHING: a key queued before stays as it was, without a look-up first or a
    savepoint around each row. Inside helpdesk.sql.deferred() (a booking) they are written with
    the booking's own statement; the rows get no primary key back."""
    rows = [message for message in messages if message is not None]
    if any(message.idempotency_key is None for message in rows):
        raise ValueError("queue_once needs an idempotency key on every message")
    with sql.deferred():
        for message in rows:
            sql.insert(message, ignore_conflicts=True)


def record_reply(*, citizen: Citizen, body: str, now: datetime.datetime) -> OutboundMessage | None:
    """A reply given in the webhook's TwiML answer: sent by Twilio, logged here for the thread.
    None, and nothing written, when the number already got its daily maximum: the limit is
    checked inside the INSERT (INSERT ... SELECT ... WHERE the count is below it), so that it
    costs no round trip of its own."""
    message = OutboundMessage(
        municipality_id=citizen.municipality_id,
        citizen=citizen,
        to=citizen.phone,
        body=body,
        kind=OutboundMessage.Kind.REPLY,
        status=Status.SENT,
        due_at=now,
        sent_at=now,
        attempts=1,
    )
    insert, values = insert_statement(message, select=True)
    sent_sql, sent_params = _sent_today(citizen.phone, now).order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    statement = f"{insert} WHERE (SELECT COUNT(*) FROM ({sent_sql}) AS sent) < %s RETURNING {quote('id')}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, *sent_params, settings.SMS_OUTBOUND_PER_DAY])
        row = cursor.fetchone()
    if row is None:
        return None
    mark_saved(message, row[0])
    return message


def _sent_today(to, now: datetime.datetime):
    """What went to this number in the last 24 hours: the daily limit's count, for the dispatcher
    and for a reply alike. Keyed on the E.164 number: `to` is stored normalised (a
    PhoneNumberField) and is looked up normalised, in whatever notation it comes."""
    number = parse(str(to)) or to
    return OutboundMessage.objects.filter(to=number, sent_at__gt=now - datetime.timedelta(days=1))


def sent_today(to, now: datetime.datetime) -> list[datetime.datetime]:
    """When this number got an SMS in the last 24 hours."""
    return list(_sent_today(to, now).order_by("sent_at").values_list("sent_at", flat=True))


def over_daily_limit(to, now: datetime.datetime) -> datetime.datetime | None:
    """When the number already got its daily maximum: the moment it may get another."""
    sent = sent_today(to, now)
    if len(sent) < settings.SMS_OUTBOUND_PER_DAY:
        return None
    return sent[-settings.SMS_OUTBOUND_PER_DAY] + datetime.timedelta(days=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff with full jitter: up to base * 2^(attempts-1), at most an hour."""
    ceiling = min(settings.SMS_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def claim(*, now: datetime.datetime, limit: int = 50) -> tuple[str, list[int]]:
    """Take up to `limit` due messages (queued and due, or claimed by a worker that vanished)."""
    return outbox_claims.claim(OutboundMessage, now=now, limit=limit, seconds=settings.SMS_CLAIM_SECONDS)


def _finish(message: OutboundMessage, token: str, **fields) -> bool:
    """Write the outcome only if our claim still holds (else another worker owns the row)."""
    return bool(outbox_claims.ours(OutboundMessage, message.pk, token).update(claim_token="", **fields))


def status_callback_url() -> str:
    return settings.PUBLIC_BASE_URL + reverse("sms:status")


def renew(message_id: int, token: str, now: datetime.datetime) -> OutboundMessage | None:
    """Just before sending: extend our claim if we still hold it, and read the row afresh (the
    citizen may have opted out, the appointment been cancelled, since the batch was claimed)."""
    if not outbox_claims.renew(
        OutboundMessage, message_id, token, now=now, seconds=settings.SMS_CLAIM_SECONDS
    ):
        return None
    return OutboundMessage.objects.select_related("municipality", "citizen", "appointment").get(pk=message_id)


def deliver(message: OutboundMessage, token: str, *, backend, now: datetime.datetime) -> str:
    """Send one claimed message and record what happened; returns the resulting status."""
    citizen = message.citizen
    if citizen is not None and citizen.sms_opt_out:
        _finish(message, token, status=Status.CANCELLED, last_error="opted out")
        return Status.CANCELLED
    if (
        message.appointment_id
        and message.kind == OutboundMessage.Kind.REMINDER
        and not message.appointment.is_active
    ):
        _finish(message, token, status=Status.CANCELLED, last_error="appointment no longer active")
        return Status.CANCELLED
    later = over_daily_limit(message.to, now)
    if later is not None:
        logger.warning("SMS to %s postponed: daily limit reached", message.to)
        _finish(message, token, status=Status.QUEUED, due_at=later, last_error="daily limit reached")
        return Status.QUEUED
    if citizen is not None and citizen.simulated:
        # A citizen of the SMS simulator: the message shows in the simulator, no SMS goes out.
        _finish(
            message, token, status=Status.SENT, attempts=message.attempts + 1, provider_sid="", sent_at=now
        )
        return Status.SENT
    sender = message.municipality.sms_number
    if not sender:
        _finish(message, token, status=Status.FAILED, last_error="the municipality has no SMS number")
        return Status.FAILED
    attempts = message.attempts + 1
    try:
        sid = backend.send(
            to=str(message.to), from_=str(sender), body=message.body, status_callback=status_callback_url()
        )
    except backends.PermanentError as error:
        logger.warning("SMS %s failed permanently: %s", message.pk, error)
        _finish(
            message,
            token,
            status=Status.FAILED,
            attempts=attempts,
            error_code=error.code,
            last_error=str(error)[:200],
        )
        if error.code == backends.OPTED_OUT and citizen is not None:
            optout.record(citizen, why=optout.CARRIER)
        return Status.FAILED
    except Exception as error:  # TemporaryError, or a backend bug: never lose the message
        give_up = attempts >= settings.SMS_MAX_ATTEMPTS
        logger.warning("SMS %s attempt %s failed: %s", message.pk, attempts, error)
        _finish(
            message,
            token,
            status=Status.FAILED if give_up else Status.QUEUED,
            attempts=attempts,
            due_at=message.due_at if give_up else now + retry_delay(attempts),
            error_code=getattr(error, "code", ""),
            last_error=str(error)[:200],
        )
        return Status.FAILED if give_up else Status.QUEUED
    _finish(
        message, token, status=Status.SENT, attempts=attempts, provider_sid=sid, sent_at=now, last_error=""
    )
    return Status.SENT


def dispatch(*, now: datetime.datetime | None = None, limit: int = 50, backend=None) -> Counter:
    """Send what is due, batch by batch, until nothing is left; returns counts per outcome."""
    backend = backend or backends.get_backend()
    outcomes = Counter()
    while True:
        moment = now or timezone.now()
        token, ids = claim(now=moment, limit=limit)
        if not ids:
            return outcomes
        for message_id in ids:
            moment = now or timezone.now()
            message = renew(message_id, token, moment)
            if message is None:  # our claim ran out and another worker has it, or it was cancelled
                outcomes["skipped"] += 1
                continue
            outcomes[str(deliver(message, token, backend=backend, now=moment))] += 1
        if len(ids) < limit:
            return outcomes


# Delivery reports: a later report never moves a message back (a late "sent" after "delivered").
RANK = {Status.QUEUED: 0, Status.SENDING: 1, Status.SENT: 2, Status.DELIVERED: 3, Status.FAILED: 3}
TWILIO_STATUSES = {
    "accepted": Status.SENDING,
    "queued": Status.SENDING,
    "sending": Status.SENDING,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
}


def apply_status(*, sid: str, status: str, error_code: str = "") -> bool:
    """Record a delivery report; returns whether a message changed."""
    new = TWILIO_STATUSES.get(status)
    if new is None or not sid:
        return False
    lower = [name for name, rank in RANK.items() if rank < RANK[new]]
    fields = {"status": new}
    if new == Status.FAILED:
        fields["error_code"] = error_code[:20]
        fields["last_error"] = f"carrier: {status} {error_code}".strip()
    changed = OutboundMessage.objects.filter(provider_sid=sid, status__in=lower).update(**fields)
    if changed and new == Status.FAILED and error_code == backends.OPTED_OUT:
        optout.record(Citizen.objects.filter(outbound_messages__provider_sid=sid), why=optout.CARRIER)
    return bool(changed)
