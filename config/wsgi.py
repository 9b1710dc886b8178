"""
WSGI config for helpdesk project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# A web worker's first SMS or call would otherwise wait about 1.5 s while dateparser and lingua
# load their data: load it while the worker starts (management commands and Celery never pay it).
from conversations import understanding  # noqa: E402

understanding.warm_up()
