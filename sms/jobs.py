"""The SMS channel's background jobs (registered in SmsConfig.ready)."""

from django.utils import timezone

from helpdesk import jobs
from sms import outbox, reminders


@jobs.register
def queue_reminders() -> int:
    return reminders.schedule_missing(now=timezone.now())


@jobs.register
def send_due_sms() -> dict:
    return dict(outbox.dispatch())
