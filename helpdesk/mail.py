"""The one way the system sends an e-mail: `queue()` writes an outbox row in the transaction of
its cause; the background job send_due_email (helpdesk/jobs.py) sends it, as sms/outbox.py does
for SMS.

A request never waits for the mail server (a booking used to send its volunteer's e-mail inside
the request), and a mail server that is down or slow loses nothing: the row is tried again with
backoff (EMAIL_RETRY_SECONDS, doubling) and given up after EMAIL_MAX_ATTEMPTS. Workers claim rows
as the SMS outbox's do (helpdesk/outbox_claims.py), so two never send the same row and one that
dies hands its rows on. A sent e-mail is deleted at once: its text may carry a booking note,
which the system keeps nowhere else once the appointment is purged or erased. One given up on is
kept EMAIL_KEEP_DAYS for an administrator to see, then deleted too.
"""

import datetime
import logging
import random
import smtplib
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.utils import timezone

from helpdesk import jobs, outbox_claims, sql
from helpdesk.models import OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status
SUBJECT_LENGTH = OutboundEmail._meta.get_field("subject").max_length


def queue(*, municipality_id: int, to: str, subject: str, body: str) -> OutboundEmail:
    """An e-mail in the outbox: the job sends it once the current transaction has committed.
    Inside helpdesk.sql.deferred() (a booking) the row is written with the booking's own
    statement, and the instance returned gets no primary key."""
    email = OutboundEmail(
        municipality_id=municipality_id,
        to=to,
        subject=subject[:SUBJECT_LENGTH],
        body=body,
        due_at=timezone.now(),
    )
    sql.insert(email)
    return email


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff with full jitter: up to base * 2^(attempts-1), at most an hour."""
    ceiling = min(settings.EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def _ours(email_id: int, token: str):
    return outbox_claims.ours(OutboundEmail, email_id, token)


def _renew(email_id: int, token: str, now: datetime.datetime) -> OutboundEmail | None:
    """Just before sending: extend our claim if we still hold it, and read the row."""
    if not outbox_claims.renew(OutboundEmail, email_id, token, now=now, seconds=settings.EMAIL_CLAIM_SECONDS):
        return None
    return OutboundEmail.objects.get(pk=email_id)


def _permanent(error: Exception) -> bool:
    """The server refused this address or this sender for good (a 5xx answer): trying again
    would get the same answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def deliver(email: OutboundEmail, token: str, connection, now: datetime.datetime) -> str:
    """Send one claimed e-mail and record the outcome: "sent", "queued" (again) or "failed"."""
    attempts = email.attempts + 1
    try:
        connection.send_messages([EmailMessage(email.subject, email.body, to=[email.to])])
    except Exception as error:  # the mail server's answer, or the connection's: never lose the e-mail
        give_up = attempts >= settings.EMAIL_MAX_ATTEMPTS or _permanent(error)
        logger.warning("E-mail %s attempt %s failed: %s", email.pk, attempts, error)
        connection.close()  # a broken session is not reused: the next e-mail opens its own
        _ours(email.pk, token).update(
            claim_token="",
            status=Status.FAILED if give_up else Status.QUEUED,
            attempts=attempts,
            due_at=now if give_up else now + retry_delay(attempts),
            last_error=str(error)[:200],
        )
        return Status.FAILED if give_up else Status.QUEUED
    _ours(email.pk, token).delete()
    return "sent"


def dispatch(*, now: datetime.datetime | None = None, limit: int = 50) -> Counter:
    """Send what is due, batch by batch over one mail server connection each, until nothing is
    left; then delete what was given up on long enough ago. Returns counts per outcome."""
    outcomes = Counter()
    while True:
        moment = now or timezone.now()
        token, ids = outbox_claims.claim(
            OutboundEmail, now=moment, limit=limit, seconds=settings.EMAIL_CLAIM_SECONDS
        )
        if not ids:
            break
        connection = mailers.default  # one SMTP session for the batch
        try:
            connection.open()
        except Exception as error:  # each e-mail's own attempt fails too, and is counted
            logger.warning("Mail server unreachable: %s", error)
        try:
            for email_id in ids:
                moment = now or timezone.now()
                email = _renew(email_id, token, moment)
                if email is None:  # our claim ran out and another worker has it
                    outcomes["skipped"] += 1
                    continue
                outcomes[deliver(email, token, connection, moment)] += 1
        finally:
            connection.close()
        if len(ids) < limit:
            break
    kept_until = (now or timezone.now()) - datetime.timedelta(days=settings.EMAIL_KEEP_DAYS)
    purged, _ = OutboundEmail.objects.filter(status=Status.FAILED, due_at__lt=kept_until).delete()
    if purged:
        outcomes["purged"] = purged
    return outcomes


@jobs.register
def send_due_email() -> dict:
    return dict(dispatch())
