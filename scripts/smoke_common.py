"""What the parts of the production smoke test share (scripts/smoke_production.py is the entry
point): the repository's root, the fake Twilio account's credentials (made up for each run, the
same for the fake and for the app), and how a failure is raised and progress is told.
Standard library only."""

import secrets
import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_SID = "AC" + secrets.token_hex(16)
AUTH_TOKEN = secrets.token_hex(16)
SMS_NUMBER = "+32460200000"  # Demodorp's number in the demo data (demo/seed.py)

started = time.monotonic()


class SmokeFailure(Exception):
    pass


def say(message: str) -> None:
    print(f"smoke [{time.monotonic() - started:5.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
