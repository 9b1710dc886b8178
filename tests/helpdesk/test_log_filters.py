import logging

from helpdesk.log_filters import RedactSecretsFilter, redact

TOKEN = "9f" * 32


def test_calendar_tokens_are_redacted_from_messages_and_args():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /volunteers/calendar/{TOKEN}.ics HTTP/1.1", "200", "512"),
        None,
    )
    RedactSecretsFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert "/volunteers/calendar/[redacted].ics" in record.getMessage()


def test_password_reset_tokens_are_redacted():
    line = "GET /accounts/reset/MTI/cz9k2a-0f1e2d3c4b5a69788796a5b4c3d2e1f0/ HTTP/1.1"
    assert redact(line) == "GET /accounts/reset/[redacted]/ HTTP/1.1"


def test_other_paths_are_left_alone():
    assert redact("GET /volunteers/schedule/ HTTP/1.1") == "GET /volunteers/schedule/ HTTP/1.1"


def test_the_project_logging_uses_the_filter(settings):
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]
