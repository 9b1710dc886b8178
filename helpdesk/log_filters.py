"""Keep secrets out of logs: a calendar feed URL is a password for someone's schedule, and a
password-reset link is one for their account."""

import logging
import re

# A calendar feed token, and a password-reset link (its token sets a new password).
SECRET_PATHS = re.compile(
    r"(/volunteers/calendar/)[^/\s\"?]+(\.ics)"
    r"|(/accounts/reset/)[^/\s\"?]+/[^/\s\"?]+(/)"
)


def redact(text: str) -> str:
    return SECRET_PATHS.sub(lambda m: f"{m.group(1) or m.group(3)}[redacted]{m.group(2) or m.group(4)}", text)


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
