"""The production smoke test's checks (scripts/smoke_production.py runs them): HTTP to gunicorn as
the TLS proxy sends it, and what is checked of the answers and of the fake Twilio's messages.
Standard library only, but for the twilio package (requirements.txt) that signs a webhook."""

import datetime
import json
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from smoke_common import ACCOUNT_SID, AUTH_TOKEN, SMS_NUMBER, SmokeFailure, say
from smoke_fake_twilio import FakeTwilio
from smoke_processes import manage, wait_for

SMS_TIMEOUT = 30


class Web:
    def __init__(self, url: str):
        self.url = url

    def request(self, method: str, path: str, *, data=None, headers=None, proxied=True, token=None):
        """(status, headers, body) of one request; `proxied` adds what the TLS proxy adds."""
        headers = dict(headers or {})
        if proxied:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if isinstance(data, dict) and headers.get("Content-Type") == "application/json":
            data = json.dumps(data).encode()
        elif isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with OPENER.open(request, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def json(self, method: str, path: str, expect: int, **kwargs):
        status, _headers, body = self.request(method, path, **kwargs)
        if status != expect:
            raise SmokeFailure(f"{method} {path} answered {status}, not {expect}: {body[:500]!r}")
        return json.loads(body)

    def up(self) -> bool:
        try:
            return self.request("GET", "/healthz", proxied=False)[0] == 200
        except OSError:
            return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment (all traffic stays on 127.0.0.1), and redirects are looked at.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


# The checks


def check_ready(web: Web):
    ready = web.json("GET", "/readyz", 200)
    if ready != {"status": "ok", "database": "ok", "redis": "ok"}:
        raise SmokeFailure(f"/readyz: {ready}")
    say("/readyz: 200, database and Redis ok")


def api_token(web: Web) -> str:
    body = {"username": "staff", "password": "demo"}  # demo/seed.py
    headers = {"Content-Type": "application/json"}
    return web.json("POST", "/api/v1/auth/token/", 200, data=body, headers=headers)["token"]


def book(web: Web, token: str, phone: str, pick: int) -> dict:
    """Book the `pick`-th free slot for `phone` through the API, as a counter application does."""
    until = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    query = urllib.parse.urlencode({"topic": "taxes", "language": "nl", "to": until})
    slots = web.json("GET", f"/api/v1/slots/?{query}", 200, token=token)
    if len(slots) <= pick:
        raise SmokeFailure(f"GET /api/v1/slots/ gave {len(slots)} free slots, needed more than {pick}")
    slot = slots[pick]
    booking = {
        "digipunt": slot["digipunt"],
        "topic": "taxes",
        "start": slot["start"],
        "language": "nl",
        "channel": "phone",
        "citizen": {"phone": phone, "name": "Smoke Test"},
    }
    headers = {"Content-Type": "application/json"}
    appointment = web.json("POST", "/api/v1/appointments/", 201, data=booking, headers=headers, token=token)
    say(f"booked appointment {appointment['code']} at {slot['digipunt_name']}, {slot['start']}, for {phone}")
    return appointment


def confirmation_status(venv: Path, env: dict, phone: str) -> str:
    """What the outbox says about the SMS to `phone` (for the failure message)."""
    code = (
        "from sms.models import OutboundMessage as M; "
        f"print([(m.kind, m.status, m.attempts, m.last_error) for m in M.objects.filter(to={phone!r})])"
    )
    try:
        return manage(venv, env, "shell", "-c", code).strip()
    except (SmokeFailure, subprocess.SubprocessError) as error:
        return f"(could not read the outbox: {error})"


def check_confirmation_sms(fake: FakeTwilio, phone: str, public_url: str, watch, venv, env):
    try:
        [message] = wait_for(
            lambda: fake.to(phone), SMS_TIMEOUT, f"the confirmation SMS to {phone} at the fake Twilio", watch
        )
    except SmokeFailure as error:
        refused = f"; the fake Twilio refused: {fake.refused}" if fake.refused else ""
        raise SmokeFailure(
            f"{error}{refused}; the outbox has (kind, status, attempts, last error): "
            f"{confirmation_status(venv, env, phone)}"
        ) from None
    if message.get("From") != SMS_NUMBER or not message.get("Body"):
        raise SmokeFailure(f"the confirmation SMS is not as expected: {message}")
    if message.get("StatusCallback") != public_url + "/sms/status/":
        raise SmokeFailure(f"the SMS asks for delivery reports at {message.get('StatusCallback')}")
    say(f"confirmation SMS reached the fake Twilio: {message['Body'][:70]!r}...")


def check_inbound_webhook(web: Web, public_url: str):
    from twilio.request_validator import RequestValidator

    params = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": ACCOUNT_SID,
        "From": "+32470999009",
        "To": SMS_NUMBER,
        "Body": "INFO",
        "NumMedia": "0",
    }
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public_url + "/sms/inbound/", params)
    status, headers, body = web.request(
        "POST", "/sms/inbound/", data=params, headers={"X-Twilio-Signature": signature}
    )
    if status != 200 or not headers.get("Content-Type", "").startswith("text/xml"):
        raise SmokeFailure(
            f"signed POST /sms/inbound/ answered {status} {headers.get('Content-Type')}: {body!r}"
        )
    root = ET.fromstring(body)
    replies = [message.text or "" for message in root.iter("Message")]
    if root.tag != "Response" or not replies:
        raise SmokeFailure(f"POST /sms/inbound/ answered no TwiML reply: {body!r}")
    say(f"signed inbound SMS webhook: 200 TwiML, reply {replies[0][:60]!r}...")
    forged = web.request(
        "POST", "/sms/inbound/", data=params, headers={"X-Twilio-Signature": "x" + signature}
    )
    if forged[0] != 403:
        raise SmokeFailure(f"a wrongly signed POST /sms/inbound/ answered {forged[0]}, not 403")
    say("wrongly signed inbound SMS webhook: 403")


def check_https_redirect(web: Web, public_url: str):
    status, headers, _body = web.request("GET", "/api/v1/", proxied=False)
    location = headers.get("Location", "")
    if status != 301 or not location.startswith("https://"):
        raise SmokeFailure(f"plain http was not redirected to https: {status} {location!r}")
    say(f"plain http (no proxy header): 301 to {location}")
