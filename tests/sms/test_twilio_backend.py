"""TWILIO_API_BASE_URL: the Twilio backend's hook for a fake Twilio (the production smoke test)."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from twilio.http.http_client import TwilioHttpClient

from sms.backends import RedirectedHttpClient, TwilioBackend

SID = "AC" + "1" * 32


@pytest.fixture
def fake_twilio():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append(
                {"path": self.path, "auth": self.headers["Authorization"], "form": parse_qs(body)}
            )
            payload = json.dumps({"sid": "SM" + "2" * 32, "status": "queued"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def test_the_backend_talks_to_twilio_by_default(settings):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_API_BASE_URL = SID, ""
    client = TwilioBackend().client.http_client
    assert type(client) is TwilioHttpClient
    assert client.timeout == TwilioBackend.timeout


def test_the_base_url_sends_the_same_request_to_a_fake_twilio(settings, fake_twilio):
    url, received = fake_twilio
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, "token"
    settings.TWILIO_API_BASE_URL = url + "/"
    backend = TwilioBackend()
    assert isinstance(backend.client.http_client, RedirectedHttpClient)
    assert backend.client.http_client.timeout == TwilioBackend.timeout

    sid = backend.send(to="+32470000001", from_="+32460200000", body="Hallo", status_callback="https://x/s/")
    assert sid == "SM" + "2" * 32
    [request] = received
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:token".encode()).decode()
    assert request["form"] == {
        "To": ["+32470000001"],
        "From": ["+32460200000"],
        "Body": ["Hallo"],
        "StatusCallback": ["https://x/s/"],
    }
