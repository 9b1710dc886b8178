"""The e-mail outbox (helpdesk/mail.py): queued with its cause, sent by the job, retried with
backoff, given up on a refusal or after the last attempt, and never sent twice."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import connection

from helpdesk import jobs, mail
from helpdesk.models import OutboundEmail
from tests.factories import MunicipalityFactory
from tests.threads import in_threads

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):  # queued "now" is NOW
        yield


class FlakyServer:
    """A mail backend whose sends raise what `answers` says, in order, then succeed."""

    answers: list = []
    opened = 0

    def __init__(self, **options):
        self.broken = False

    def open(self):
        FlakyServer.opened += 1

    def close(self):
        self.broken = False

    def send_messages(self, messages):
        if self.broken:  # as smtplib's session after a disconnect, until it is closed
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if FlakyServer.answers:
            self.broken = True
            raise FlakyServer.answers.pop(0)
        django_mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyServer"}}
    FlakyServer.answers, FlakyServer.opened = [], 0
    return FlakyServer


@pytest.fixture
def queued(db):
    municipality = MunicipalityFactory()
    return mail.queue(
        municipality_id=municipality.pk, to="vera@example.org", subject="Nieuw", body="Dag Vera"
    )


def test_an_email_waits_for_the_job_then_is_sent_once_and_forgotten(queued, mailoutbox):
    assert mailoutbox == []  # not in the request that queued it
    assert mail.dispatch(now=NOW) == {"sent": 1}
    (sent,) = mailoutbox
    assert (sent.to, sent.subject, sent.body) == (["vera@example.org"], "Nieuw", "Dag Vera")
    assert not OutboundEmail.objects.exists()  # no copy of the text is kept
    assert mail.dispatch(now=NOW) == {}


def test_the_job_is_registered_for_celery_beat_and_run_jobs(queued, mailoutbox):
    assert mail.send_due_email in jobs.JOBS
    assert mail.send_due_email() == {"sent": 1}


def test_a_mail_server_that_is_away_costs_a_retry_with_backoff(queued, flaky, settings):
    settings.EMAIL_RETRY_SECONDS = 60
    flaky.answers = [smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError("refused")]
    assert mail.dispatch(now=NOW) == {"queued": 1}
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == ("queued", 1, "gone")
    assert NOW + datetime.timedelta(seconds=30) <= queued.due_at <= NOW + datetime.timedelta(seconds=60)
    assert mail.dispatch(now=NOW + datetime.timedelta(seconds=20)) == {}  # not due yet
    later = NOW + datetime.timedelta(minutes=2)
    assert mail.dispatch(now=later) == {"queued": 1}
    queued.refresh_from_db()
    assert queued.attempts == 2
    assert queued.due_at >= later + datetime.timedelta(seconds=60)  # doubled
    assert mail.dispatch(now=later + datetime.timedelta(minutes=5)) == {"sent": 1}
    assert len(django_mail.outbox) == 1


def test_a_refused_address_is_given_up_at_once_and_purged_after_a_week(queued, flaky, settings):
    settings.EMAIL_KEEP_DAYS = 7
    flaky.answers = [smtplib.SMTPRecipientsRefused({"vera@example.org": (550, b"no such user")})]
    assert mail.dispatch(now=NOW) == {"failed": 1}
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("failed", 1)
    assert "no such user" in queued.last_error
    assert mail.dispatch(now=NOW + datetime.timedelta(days=6)) == {}  # kept for an administrator
    assert OutboundEmail.objects.exists()
    assert mail.dispatch(now=NOW + datetime.timedelta(days=8)) == {"purged": 1}
    assert not OutboundEmail.objects.exists()


def test_after_the_last_attempt_it_is_given_up(queued, flaky, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    flaky.answers = [smtplib.SMTPServerDisconnected("gone")] * 2
    assert mail.dispatch(now=NOW) == {"queued": 1}
    assert mail.dispatch(now=NOW + datetime.timedelta(hours=2)) == {"failed": 1}
    assert OutboundEmail.objects.get().status == "failed"


def test_a_batch_shares_one_connection_and_a_dead_workers_claim_is_taken_over(db, flaky, settings):
    municipality = MunicipalityFactory()
    for n in range(3):
        mail.queue(municipality_id=municipality.pk, to=f"v{n}@example.org", subject="s", body="b")
    # A worker claimed the first and died: its claim runs out, then the row is due again.
    first = OutboundEmail.objects.order_by("pk").first()
    until = NOW + datetime.timedelta(seconds=30)
    OutboundEmail.objects.filter(pk=first.pk).update(status="sending", claim_token="x", claimed_until=until)
    assert mail.dispatch(now=NOW) == {"sent": 2}
    assert flaky.opened == 1
    assert mail.dispatch(now=NOW + datetime.timedelta(seconds=31)) == {"sent": 1}
    assert sorted(m.to[0] for m in django_mail.outbox) == [
        "v0@example.org",
        "v1@example.org",
        "v2@example.org",
    ]


def test_a_broken_session_is_not_reused_for_the_next_email(db, flaky):
    municipality = MunicipalityFactory()
    for n in range(2):
        mail.queue(municipality_id=municipality.pk, to=f"v{n}@example.org", subject="s", body="b")
    flaky.answers = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
    assert mail.dispatch(now=NOW) == {"queued": 1, "sent": 1}


def test_a_subject_longer_than_the_column_is_cut(db):
    municipality = MunicipalityFactory()
    email = mail.queue(municipality_id=municipality.pk, to="v@example.org", subject="x" * 500, body="b")
    assert len(email.subject) == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL")
def test_two_workers_at_once_send_each_email_once(mailoutbox):
    municipality = MunicipalityFactory()
    for n in range(40):
        mail.queue(municipality_id=municipality.pk, to=f"v{n}@example.org", subject="s", body="b")
    results = in_threads(2, lambda _index: mail.dispatch(limit=5))
    assert sum(result["sent"] for result in results) == 40
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"v{n}@example.org" for n in range(40))
    assert not OutboundEmail.objects.exists()
