"""Background jobs, one function each, run by `manage.py run_jobs` (and by Celery in production).

A job with an `every` attribute needs running only that often; the others run each round.
"""

import datetime
import logging
import time

from django.utils import timezone

from appointments import reminders
from helpdesk import privacy
from sms import outbox

logger = logging.getLogger(__name__)


def queue_reminders() -> int:
    return reminders.schedule_missing(now=timezone.now())


def send_due_sms() -> dict:
    return dict(outbox.dispatch())


def purge_personal_data() -> dict:
    """Retention (GDPR): blank or unlink personal data past each municipality's periods."""
    return privacy.purge(now=timezone.now())


purge_personal_data.every = datetime.timedelta(hours=1)

JOBS = [queue_reminders, send_due_sms, purge_personal_data]

# When this process last ran each periodic job (monotonic seconds).
_last_run: dict[str, float] = {}


def run_all(*, force: bool = False) -> dict:
    """Run every job that is due once; one failing job is logged and does not stop the others."""
    results = {}
    for job in JOBS:
        every = getattr(job, "every", None)
        last = _last_run.get(job.__name__)
        if (
            not force
            and every is not None
            and last is not None
            and time.monotonic() - last < every.total_seconds()
        ):
            continue
        _last_run[job.__name__] = time.monotonic()
        try:
            results[job.__name__] = job()
        except Exception:
            logger.exception("Job %s failed", job.__name__)
            results[job.__name__] = "failed"
    return results
