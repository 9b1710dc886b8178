"""Keep secrets out of logs: a calendar feed URL is a password for someone's schedule."""

import logging
import re

SECRET_PATHS = re.compile(r"(/volunteers/calendar/)[^/\s\"?]+(\.ics)")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[redacted]\2", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path") and SECRET_PATHS.search(request.path):
            record.request = None  # Django's error e-mails would print the whole request
        return True
