"""Production settings (config.settings, from the environment) with mail kept in memory: a
booking e-mails the volunteer, and the benchmark has no SMTP server to talk to."""

from config.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
