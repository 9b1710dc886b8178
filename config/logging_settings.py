"""Logging for config/settings.py: every handler redacts secrets (helpdesk/log_filters.py)."""


def logging_config(*, level: str) -> dict:
    """The LOGGING setting; `level` is the root logger's (LOG_LEVEL)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": {"()": "helpdesk.log_filters.RedactSecretsFilter"}},
        "formatters": {
            "server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
            "server": {
                "class": "logging.StreamHandler",
                "filters": ["redact_secrets"],
                "formatter": "server",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own default handlers would print request paths unfiltered.
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "django.db.backends": {"level": "WARNING"},
            # django-axes reports every login at INFO; failures and lockouts are WARNING.
            "axes": {"level": "WARNING"},
            # runserver's own request log, with its colours, through the redacting handler.
            "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        },
    }
