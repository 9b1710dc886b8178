"""Celery: the job functions of `helpdesk.jobs.JOBS` as tasks, each with a beat entry.

`celery -A config worker -B` runs in production what `manage.py run_jobs` runs on the embedded
default; both call the same functions. The tasks are made from JOBS in a loop, so a job added to
that list later (purging, referral follow-ups) becomes a task and a beat entry without a change
here. Every job is idempotent (the outbox claims rows, reminders have a unique key), which is
what makes late acknowledgement and redelivery after a lost worker safe.
"""

import logging
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("helpdesk")
# Every CELERY_* Django setting, e.g. CELERY_BROKER_URL as broker_url.
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_name(job) -> str:
    return f"jobs.{job.__name__}"


def make_task(job):
    """One task per job; the job's own name and docstring, its work done by the job function."""

    def run():
        return job()

    run.__name__, run.__doc__ = job.__name__, job.__doc__
    return app.task(name=task_name(job))(run)


def interval(job, intervals: dict) -> float:
    """Seconds between runs: JOB_INTERVALS (settings, or JOB_INTERVAL_<NAME>) names the job, else
    the job's own `every` (a timedelta, as `run_jobs` honours it), else the default."""
    if job.__name__ in intervals:
        return float(intervals[job.__name__])
    every = getattr(job, "every", None)
    return every.total_seconds() if every is not None else float(intervals["default"])


def beat_schedule(jobs, intervals: dict) -> dict:
    """A beat entry per job. A run that no worker picked up before the next one is due is dropped
    (`expires`): while workers are down, beat must not pile up runs that would all start at once
    when they come back; the next run does the same work anyway."""
    schedule = {}
    for job in jobs:
        seconds = interval(job, intervals)
        schedule[job.__name__] = {
            "task": task_name(job),
            "schedule": seconds,
            "options": {"expires": seconds},
        }
    return schedule


@app.on_after_finalize.connect
def register_jobs(sender, **kwargs):
    # The jobs import models, so this waits until the app is finalised (Django is set up by then
    # in a worker; elsewhere django.setup() below is a no-op when it already ran).
    import django
    from django.conf import settings

    django.setup()
    from helpdesk import jobs

    for job in jobs.JOBS:
        make_task(job)
    sender.conf.beat_schedule = beat_schedule(jobs.JOBS, settings.JOB_INTERVALS)


@worker_init.connect
def require_broker(**kwargs):
    # Without REDIS_URL the broker is Celery's in-memory one, which no other process shares: a
    # worker there would run nothing. Say what to do instead.
    from django.conf import settings

    if not settings.REDIS_URL:
        raise RuntimeError("REDIS_URL is not set: run `python manage.py run_jobs` instead of Celery.")
