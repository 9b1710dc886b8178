"""The production smoke test's fake Twilio (scripts/smoke_production.py starts it): the app reaches
it through TWILIO_API_BASE_URL. Standard library only."""

import base64
import datetime
import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from smoke_common import ACCOUNT_SID, AUTH_TOKEN


class FakeTwilio:
    """Twilio's Messages endpoint on 127.0.0.1: checks the account and its credentials as Twilio
    does, records each message and answers 201 with a sid; anything else is a 404."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        fake = self
        path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != path:
                    with fake.lock:
                        fake.refused.append(f"POST {self.path}")
                    return self.answer(404, {"code": 20404, "message": "not found", "status": 404})
                if self.headers.get("Authorization") != expected_auth:
                    with fake.lock:
                        fake.refused.append("wrong credentials")
                    return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                sid = "SM" + secrets.token_hex(16)
                with fake.lock:
                    fake.messages.append({"sid": sid, **form})
                now = datetime.datetime.now(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
                self.answer(
                    201,
                    {
                        "sid": sid,
                        "account_sid": ACCOUNT_SID,
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "body": form.get("Body"),
                        "status": "queued",
                        "direction": "outbound-api",
                        "num_segments": "1",
                        "date_created": now,
                        "date_updated": now,
                        "uri": f"{path[:-5]}/{sid}.json",
                    },
                )

            def do_GET(self):
                self.answer(404, {"code": 20404, "message": "not found", "status": 404})

            def answer(self, status: int, payload: dict):
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
        self.thread.start()

    def to(self, phone: str) -> list[dict]:
        with self.lock:
            return [message for message in self.messages if message.get("To") == phone]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
