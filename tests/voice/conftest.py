import itertools
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from twilio.request_validator import RequestValidator

from sms.backends import LocmemBackend
from tests.factories import bookable_volunteer

INBOUND = "/voice/inbound/"
STATUS = "/voice/status/"
sids = itertools.count(1)


@pytest.fixture(autouse=True)
def _voice_settings(settings, frozen_now):
    """Known token and base URL, Thursday 26 November 2026 10:00 in Brussels (digipunten open)."""
    settings.SMS_BACKEND = "locmem"
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.PUBLIC_BASE_URL = "https://digipunt.example.be"
    LocmemBackend.outbox.clear()
    yield
    LocmemBackend.outbox.clear()


def post_signed(client: Client, path: str, params: dict, token: str | None = None):
    """POST form-encoded and signed by twilio's own validator, as Twilio does."""
    validator = RequestValidator(token or settings.TWILIO_AUTH_TOKEN)
    signature = validator.compute_signature(settings.PUBLIC_BASE_URL + path, params)
    return client.post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


class Call:
    """One phone call to the voice line: press keys, say words, read what it answers."""

    def __init__(self, to, from_="+32479123456", sid=None):
        self.client = Client()
        self.sid = sid or f"CA{next(sids):032d}"
        self.params = {"CallSid": self.sid, "AccountSid": "AC" + "0" * 32, "From": from_, "To": str(to)}
        self.response = self._post(INBOUND, {})

    def _post(self, path, extra):
        response = post_signed(self.client, path, {**self.params, **extra})
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        self.last_path, self.last_extra = path, extra
        return response

    @property
    def root(self):
        return ElementTree.fromstring(self.response.content)

    @property
    def gather(self):
        return self.root.find("Gather")

    @property
    def text(self) -> str:
        return " ".join(say.text or "" for say in self.root.iter("Say"))

    @property
    def says(self):
        return list(self.root.iter("Say"))

    @property
    def ended(self) -> bool:
        return self.gather is None

    def press(self, digits="", speech=""):
        assert self.gather is not None, "the call has ended"
        extra = {"Digits": digits} if digits else {}
        if speech:
            extra["SpeechResult"] = speech
        self.response = self._post(self.gather.get("action"), extra)
        return self

    def replay(self):
        """Twilio retries the last request, exactly."""
        return post_signed(self.client, self.last_path, {**self.params, **self.last_extra})

    def hang_up(self):
        return post_signed(self.client, STATUS, {**self.params, "CallStatus": "completed"})


@pytest.fixture
def call(municipality_a):
    def make(from_="+32479123456", to=None, sid=None):
        return Call(to or municipality_a.sms_number, from_=from_, sid=sid)

    return make


@pytest.fixture
def helper(municipality_a, digipunt_a):
    return bookable_volunteer(
        municipality_a, [digipunt_a], languages=["nl", "fr", "en"], generalist=True, username="helper"
    )
