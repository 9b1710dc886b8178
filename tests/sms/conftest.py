import itertools
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from twilio.request_validator import RequestValidator

from sms.backends import LocmemBackend
from tests.factories import CitizenFactory, bookable_volunteer

INBOUND = "/sms/inbound/"
STATUS = "/sms/status/"
sids = itertools.count(1)


@pytest.fixture(autouse=True)
def _sms_settings(settings, frozen_now):
    """Locmem backend, known token and base URL, Thursday 26 November 2026 10:00 in Brussels."""
    settings.SMS_BACKEND = "locmem"
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.PUBLIC_BASE_URL = "https://digipunt.example.be"
    LocmemBackend.outbox.clear()
    LocmemBackend.failures.clear()
    yield
    LocmemBackend.outbox.clear()
    LocmemBackend.failures.clear()


def sign(path: str, params: dict, token: str | None = None) -> str:
    """What Twilio sends in X-Twilio-Signature, computed by twilio's own validator."""
    validator = RequestValidator(token or settings.TWILIO_AUTH_TOKEN)
    return validator.compute_signature(settings.PUBLIC_BASE_URL + path, params)


def post_signed(client: Client, path: str, params: dict, **headers):
    """POST form-encoded, as Twilio does."""
    return client.post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": sign(path, params), **headers},
    )


@pytest.fixture
def phone_of(municipality_a):
    """Send SMS as a citizen and get the reply text: phone_of("+32470...")("AFSPRAAK")."""
    client = Client()

    def make(number="+32479123456", to=None):
        def send(body, sid=None):
            params = {
                "MessageSid": sid or f"SM{next(sids):032d}",
                "AccountSid": "AC" + "0" * 32,
                "From": number,
                "To": to or str(municipality_a.sms_number),
                "Body": body,
            }
            response = post_signed(client, INBOUND, params)
            assert response.status_code == 200, response.content
            assert response["Content-Type"].startswith("text/xml")
            return reply_text(response)

        return send

    return make


def reply_text(response) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return " ".join((message.text or "") for message in root.iter("Message"))


@pytest.fixture
def helper(municipality_a, digipunt_a):
    """A volunteer who helps with anything in Dutch, French and English, whenever digipunt A is open."""
    return bookable_volunteer(
        municipality_a, [digipunt_a], languages=["nl", "fr", "en"], generalist=True, username="helper"
    )


@pytest.fixture
def citizen_a(municipality_a):
    return CitizenFactory(municipality=municipality_a, phone="+32479123456", name="An Peeters")
