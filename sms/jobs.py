"""Background jobs, one function each, run by `manage.py run_jobs` (and later by Celery)."""

import logging

from django.utils import timezone

from appointments import reminders
from sms import outbox

logger = logging.getLogger(__name__)


def queue_reminders() -> int:
    return reminders.schedule_missing(now=timezone.now())


def send_due_sms() -> dict:
    return dict(outbox.dispatch())


JOBS = [queue_reminders, send_due_sms]


def run_all() -> dict:
    """Run every job once; one failing job is logged and does not stop the others."""
    results = {}
    for job in JOBS:
        try:
            results[job.__name__] = job()
        except Exception:
            logger.exception("Job %s failed", job.__name__)
            results[job.__name__] = "failed"
    return results
