"""A fake Twilio for the load tests: an HTTP server in the test process that the worker's real
TwilioBackend talks to, and that backend pointed at it.

The server lives outside the worker, so what it accepted survives a worker killed with SIGKILL.
Each request follows the next step of a plan ("ok" when the plan is empty):
  ok        accept: record the message, answer 201 with a sid, as Twilio does
  500, 503  refuse with Twilio's JSON error
  reset     close the connection without an answer
  timeout   answer nothing for longer than the backend's timeout (nothing accepted)
  hang      hold the request, unanswered and not accepted, until `release` (or the client dies)
"""

import json
import os
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from sms.backends import TwilioBackend

BACKEND_TIMEOUT = 1  # seconds; the worker's SMS_CLAIM_SECONDS must be at least twice this


class FakeTwilioBackend(TwilioBackend):
    """The production Twilio backend (error sorting included) against FAKE_TWILIO_URL."""

    timeout = BACKEND_TIMEOUT

    def __init__(self):
        super().__init__()
        self.client.api.base_url = os.environ["FAKE_TWILIO_URL"]


class FakeTwilio:
    def __init__(self):
        self.accepted: list[dict] = []
        self.requests = 0
        self.plan: deque[str] = deque()
        self.lock = threading.Lock()
        self.hanging = threading.Event()  # a "hang" request has arrived
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                with fake.lock:
                    fake.requests += 1
                    step = fake.plan.popleft() if fake.plan else "ok"
                if step == "ok":
                    sid = f"SM{uuid.uuid4().hex}"
                    with fake.lock:
                        fake.accepted.append({"sid": sid, "to": form.get("To"), "body": form.get("Body")})
                    self._json(201, {"sid": sid, "status": "queued", "to": form.get("To")})
                elif step in {"500", "503"}:
                    self._json(
                        int(step), {"code": 20000 + int(step), "message": "fake outage", "status": 500}
                    )
                elif step == "timeout":
                    fake.release.wait(BACKEND_TIMEOUT + 1)
                    self.close_connection = True
                elif step == "hang":
                    fake.hanging.set()
                    fake.release.wait(60)
                    self.close_connection = True
                else:  # reset
                    self.close_connection = True

            def _json(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def sent(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(message["to"], message["body"]) for message in self.accepted]
