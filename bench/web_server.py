"""The server of bench/web_bench.py: gunicorn (gthread workers) on a free loopback port, with
DEBUG off and the bench's settings (config.settings, mail in memory)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 3, 4  # gunicorn: 3 gthread workers x 4 threads on 2 cores


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_for_bench() -> str | None:
    """BENCH_REDIS_URL (default db 14 on the local Redis), emptied, or None when none answers."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
        client.flushdb()
    except Exception:  # no Redis (or none answering): the bench runs on local memory
        return None
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url: str, log: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PUBLIC_BASE_URL": self.base_url,  # what the load generator signs over
            "SECURE_SSL_REDIRECT": "0",  # plain http on the loopback; TLS ends at the proxy
            "SMS_BACKEND": "console",  # webhook replies are TwiML; nothing is sent or printed
            "SMS_INBOUND_PER_HOUR": "1000000",
            "SMS_OUTBOUND_PER_DAY": "1000000",
            # The throttles run as in production (a cache read and write per call), but never refuse:
            # a window of one second keeps their history as short as production's 1200/min does.
            "API_RATE_USER": "1000000/s",
            "API_RATE_ANON": "1000000/s",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
        # Redis as production has it (the cache the versions and the cached rows live in), when one
        # answers; else local memory, which bench/bench_settings.py trusts as one process.
        redis_url = redis_for_bench()
        if redis_url:
            env["REDIS_URL"] = redis_url
            env["CACHE_IN_ONE_PROCESS"] = "0"
        self.redis_url = redis_url
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--pythonpath",
            str(ROOT / "bench"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
        self.handle = log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.handle, stderr=self.handle)
        self.command = " ".join(command[1:])

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.handle.close()
