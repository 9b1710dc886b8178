# The Celery app loads with Django, so that tasks are known wherever Django runs.
from config.celery import app as celery_app

__all__ = ["celery_app"]
