"""The registry of background jobs: plain functions that each app registers from its AppConfig.

`manage.py run_jobs` (the embedded default) and Celery beat (production, config/celery.py) read
this one list, so a job registered here runs in both without further wiring. A job registered
with `every` needs running only that often; the others run each round. Every job must be
idempotent: Celery acknowledges late and may run a job twice after a lost worker.
"""

import datetime
import logging
import time

logger = logging.getLogger(__name__)

JOBS: list = []

# When this process last ran each periodic job (monotonic seconds).
_last_run: dict[str, float] = {}


def register(job=None, *, every: datetime.timedelta | None = None):
    """Add a job (as a decorator, with or without `every`). Registering the same function twice
    keeps one entry; another function with the same name is refused."""

    def add(func):
        if every is not None:
            func.every = every
        for known in JOBS:
            if known.__name__ == func.__name__:
                # The name is the Celery task's and the beat entry's: two jobs cannot share it.
                if known.__module__ != func.__module__ or known.__qualname__ != func.__qualname__:
                    raise ValueError(f"Two background jobs named {func.__name__}")
                return func
        JOBS.append(func)
        return func

    return add(job) if job is not None else add


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
