"""Load and fault tests against real processes: gunicorn serving the app, a Celery worker with
beat on a Redis of our own, PostgreSQL. The processes run on the test database (pytest-django's
`test_<NAME>`), so the tests are transactional, and each test stops what it started.

They need PostgreSQL, redis-server, celery and gunicorn; without them they are skipped, unless
REQUIRE_LOAD=1 (CI sets it) turns the skip into a failure. Nothing here touches the shared Redis
on 6379 or stops the shared PostgreSQL: faults are injected into our own instances.
"""

import contextlib
import importlib.util
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import requests
from django.db import connection
from twilio.request_validator import RequestValidator

from tests.load.fakes import FakeTwilio

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
AUTH_TOKEN = "load-test-auth-token"
ACCOUNT_SID = "AC" + "0" * 32
PUBLIC_BASE_URL = "https://digipunt.example.be"
START_TIMEOUT = 30


def missing_requirements() -> list[str]:
    problems = []
    if connection.vendor != "postgresql":
        problems.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if not shutil.which("redis-server"):
        problems.append("redis-server on the PATH")
    problems += [
        f"the {name} package" for name in ("celery", "gunicorn") if not importlib.util.find_spec(name)
    ]
    return problems


def require_load_tools():
    problems = missing_requirements()
    if problems:
        message = "load tests need " + ", ".join(problems)
        if os.environ.get("REQUIRE_LOAD") == "1":
            pytest.fail(message + " (REQUIRE_LOAD=1)")
        pytest.skip(message)


def pytest_collection_modifyitems(items):
    """Every test here is a load test, marker or not: .ci/run runs them by that marker (with
    REQUIRE_LOAD=1, one at a time), so one without it would only be skipped in CI."""
    for item in items:
        if item.path.is_relative_to(ROOT / "tests" / "load"):
            item.add_marker(pytest.mark.load)


@pytest.fixture(autouse=True)
def _load_requirements():
    require_load_tools()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    """Poll until `condition()` is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def database_url(settings_dict: dict, **change) -> str:
    values = {**settings_dict, **change}
    password = f":{quote(values['PASSWORD'])}" if values.get("PASSWORD") else ""
    return (
        f"postgres://{quote(values['USER'])}{password}@{values['HOST'] or '127.0.0.1'}:"
        f"{values['PORT'] or 5432}/{values['NAME']}"
    )


def app_env(database: str, redis_url: str = "", **extra) -> dict:
    """Production-like settings for a subprocess (DEBUG off), on the given database and Redis."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOB_INTERVAL_")}
    env.update(
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY="load-tests-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        SMS_BACKEND="console",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # Beat's lock in Redis (config/beat.py): a beat killed with its worker holds it until it
        # expires, and the restarted one waits that long before scheduling anything.
        CELERY_BEAT_LOCK_TIMEOUT="3",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Process:
    """A subprocess in its own process group, so that stopping or killing it takes its children
    (prefork children, the embedded beat) too. Its output goes to a log file shown on failure."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path, stop_signal=signal.SIGTERM):
        self.name, self.args, self.env, self.stop_signal = name, args, env, stop_signal
        self.log_path = log_dir / f"{name}.log"
        self.popen = None

    def start(self):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop/kill)
        self.popen = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _signal(self, number):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, number)

    def stop(self, timeout: float = 10):
        if self.running():
            self._signal(self.stop_signal)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait(timeout)
        self._signal(signal.SIGKILL)  # whatever of the group is left (a beat child, say)
        self.log.close()

    def kill(self):
        """SIGKILL to the whole group: no shutdown, no acknowledgement, no cleanup."""
        self._signal(signal.SIGKILL)
        self.popen.wait(10)
        self.log.close()


class RedisServer:
    """A redis-server of our own on a free port, keeping nothing on disk; stop and start it at will."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = log_dir
        self.process = None

    def start(self):
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.dir)]
        self.process = Process(f"redis-{self.port}", args, dict(os.environ), self.dir).start()
        wait_for(self.ping, 10, "redis-server to answer")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process = None


def start_web(env: dict, log_dir: Path, name: str = "gunicorn") -> tuple[Process, str]:
    """gunicorn on a free port, two processes of eight threads, as in production (smaller)."""
    port = free_port()
    args = [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "2", "--threads", "8", "--worker-class", "gthread", "--preload"]
    args += ["--timeout", "60", "--graceful-timeout", "2"]
    web = Process(name, args, env, log_dir, stop_signal=signal.SIGINT).start()  # SIGINT: quick stop
    url = f"http://127.0.0.1:{port}"

    def up():
        if not web.running():
            pytest.fail(f"gunicorn exited:\n{web.output()[-3000:]}")
        try:
            return requests.get(url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_for(up, START_TIMEOUT, "gunicorn to serve /healthz", interval=0.2)
    return web, url


def start_worker(env: dict, log_dir: Path, name: str = "worker") -> Process:
    """A Celery worker (prefork, one child) and beat, in one process group: killing the group is a
    worker host dying. Beat runs as its own `celery beat` process, as on several hosts, and keeps
    its schedule and lock in the test's Redis (config/beat.py). The embedded beat (`worker -B`)
    once kept a schedule file, which under load it sometimes died on at startup (EBADF, or
    "locking protocol"); the production smoke test (scripts/smoke_production.py) runs it now."""
    celery = [PYTHON, "-m", "celery", "-A", "config"]
    beat = [*celery, "beat", "--loglevel=INFO"]
    worker = [*celery, "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO"]
    worker += ["--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"]
    args = ["sh", "-c", f"{shlex.join(beat)} & exec {shlex.join(worker)}"]
    # At the end of a test nothing needs a graceful stop (a worker reconnecting to its broker can
    # take seconds to shut down): the jobs are idempotent, as the SIGKILL test shows.
    process = Process(name, args, {**env, "LOG_LEVEL": "INFO"}, log_dir, stop_signal=signal.SIGKILL).start()

    def ready():
        if not process.running():
            pytest.fail(f"the Celery worker exited:\n{process.output()[-3000:]}")
        output = process.output()
        return " ready." in output and "beat: Starting" in output

    wait_for(ready, START_TIMEOUT, "the Celery worker and beat to be ready", interval=0.2)
    return process


def new_log_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="digipunt-load-"))
    os.chmod(path, 0o755)
    return path


def print_logs(path: Path):
    for log in sorted(path.glob("*.log")):
        tail = log.read_text(errors="replace")[-4000:]
        print(f"\n===== {log.name} (last 4000 characters) =====\n{tail}")


@pytest.fixture
def log_dir(request):
    """A directory for the processes' logs; printed when the test fails."""
    path = new_log_dir()
    yield path
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print_logs(path)
    shutil.rmtree(path, ignore_errors=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def test_database_url(transactional_db) -> str:
    """The test database, as the subprocesses must reach it."""
    return database_url(connection.settings_dict)


@pytest.fixture
def redis_server(log_dir):
    server = RedisServer(log_dir).start()
    yield server
    server.stop()


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def processes():
    """Processes a test starts register here, and are stopped at its end whatever happened."""
    started: list[Process] = []
    yield started
    for process in reversed(started):
        if process.popen is not None and not process.log.closed:
            process.stop()


def sign(path: str, params: dict) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, params)


def post_sms(session: requests.Session, base_url: str, params: dict) -> requests.Response:
    """POST /sms/inbound/ as Twilio does: form-encoded and signed over PUBLIC_BASE_URL."""
    return session.post(
        base_url + "/sms/inbound/",
        data=urlencode(params),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": sign("/sms/inbound/", params),
        },
        timeout=30,
    )


def twiml_text(response: requests.Response) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(response.content)
    return " ".join((message.text or "") for message in root.iter("Message"))
