"""SMS backends behind one seam: console (default), locmem (tests) and twilio.

A backend sends one message and returns the provider's id, or raises TemporaryError (try again
later: timeouts, 5xx, 429) or PermanentError (never retry: invalid number, opted out at carrier).
"""

import functools
import itertools
import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from twilio.http.http_client import TwilioHttpClient

logger = logging.getLogger(__name__)


class SendError(Exception):
    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = str(code or "")


class TemporaryError(SendError):
    pass


class PermanentError(SendError):
    pass


# Twilio error codes that no retry can fix.
INVALID_NUMBER, OPTED_OUT, NOT_MOBILE = "21211", "21610", "21614"
PERMANENT_CODES = {INVALID_NUMBER, OPTED_OUT, NOT_MOBILE, "21408", "21612", "30003", "30005", "30006"}


class ConsoleBackend:
    """Prints each SMS (development and demos) and calls it sent."""

    counter = itertools.count(1)

    def send(self, *, to: str, from_: str, body: str, status_callback: str | None) -> str:
        sys.stdout.write(f"SMS {from_} -> {to}: {body}\n")
        sys.stdout.flush()
        return f"console-{next(self.counter)}"


class LocmemBackend:
    """Keeps sent messages in `LocmemBackend.outbox`; tests put exceptions in `failures` to raise."""

    outbox: list[dict] = []
    failures: list[Exception] = []
    counter = itertools.count(1)

    def send(self, *, to: str, from_: str, body: str, status_callback: str | None) -> str:
        if LocmemBackend.failures:
            raise LocmemBackend.failures.pop(0)
        sid = f"SM{next(self.counter):032d}"
        LocmemBackend.outbox.append(
            {"sid": sid, "to": to, "from": from_, "body": body, "status_callback": status_callback}
        )
        return sid


class RedirectedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending each request to `base_url` instead of Twilio's host (path,
    query, body and credentials unchanged): the TWILIO_API_BASE_URL hook, for smoke tests and
    staging against a fake Twilio (scripts/smoke_production.py)."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        target = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, target, *args, **kwargs)


@functools.cache
def _warn_redirected(base_url: str) -> None:
    logger.warning("SMS go to %s, not to Twilio (TWILIO_API_BASE_URL is set)", base_url)


class TwilioBackend:
    """Twilio's REST client. Errors are sorted into temporary and permanent ones."""

    timeout = 15

    def __init__(self):
        from django.core.exceptions import ImproperlyConfigured
        from twilio.rest import Client

        # A send must end well within a dispatcher's claim, or another worker could send it too.
        claim_seconds = settings.SMS_CLAIM_SECONDS
        if claim_seconds < 2 * self.timeout:
            raise ImproperlyConfigured(f"SMS_CLAIM_SECONDS must be at least {2 * self.timeout}.")

        if settings.TWILIO_API_BASE_URL:
            _warn_redirected(settings.TWILIO_API_BASE_URL)
            http_client = RedirectedHttpClient(settings.TWILIO_API_BASE_URL, timeout=self.timeout)
        else:
            http_client = TwilioHttpClient(timeout=self.timeout)
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)

    def send(self, *, to: str, from_: str, body: str, status_callback: str | None) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            message = self.client.messages.create(
                to=to,
                from_=from_,
                body=body,
                **({"status_callback": status_callback} if status_callback else {}),
            )
        except TwilioRestException as error:
            code = str(error.code or "")
            if code in PERMANENT_CODES:
                raise PermanentError(f"Twilio {error.status}: {error.msg}", code) from error
            # Anything else may pass: 5xx, 429, 21611 (queue full), even 401 while credentials are
            # being fixed. Retries are bounded by SMS_MAX_ATTEMPTS.
            raise TemporaryError(f"Twilio {error.status}: {error.msg}", code) from error
        except (TwilioException, OSError) as error:
            # Connection errors and timeouts (requests' exceptions are OSErrors).
            raise TemporaryError(str(error)[:200]) from error
        return message.sid


BACKENDS = {"console": ConsoleBackend, "locmem": LocmemBackend, "twilio": TwilioBackend}


def get_backend():
    name = settings.SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()
