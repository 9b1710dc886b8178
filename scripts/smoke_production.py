"""The production smoke test's checker (run by scripts/smoke_production.sh with the production
virtualenv's Python: it uses the standard library and requirements.txt only, never the test tools).

With production settings (DEBUG=0, a generated SECRET_KEY, SMS_BACKEND=twilio) on a fresh
PostgreSQL database and a Redis db of its own, it runs the documented steps (migrate,
collectstatic, check --deploy), seeds the demo data, and then the documented processes:

  phase 1: gunicorn (docs/deployment.md's options), `celery worker` and `celery beat` apart;
  phase 2: the same gunicorn with the one-process `celery worker -B`.

Requests go to gunicorn as the TLS proxy would send them (X-Forwarded-Proto: https; the HTTPS
redirect stays on, PUBLIC_BASE_URL is the https origin). Twilio is a fake on 127.0.0.1 that the
app reaches through TWILIO_API_BASE_URL, the Twilio backend's hook for this; it checks the
credentials and answers like Twilio (201 with a sid). Checked, in each phase: /readyz answers 200
with the database and Redis up, and a booking through the API reaches the fake Twilio as its
confirmation SMS within 30 s. In phase 1 also: a signed inbound SMS webhook is answered with
TwiML, a wrongly signed one with 403, plain http is redirected to https.

All traffic stays on 127.0.0.1. Every process is stopped at the end, whatever happened, and the
whole run is bounded by --timeout.
"""

import argparse
import base64
import contextlib
import datetime
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "digipunt_smoke"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/11"
ACCOUNT_SID = "AC" + secrets.token_hex(16)
AUTH_TOKEN = secrets.token_hex(16)
SMS_NUMBER = "+32460200000"  # Demodorp's number in the demo data (demo/seed.py)
SMS_TIMEOUT = 30
START_TIMEOUT = 60
# Variables passed on from the caller's environment; everything else the app reads is set here.
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "USER", "LOGNAME"}

started = time.monotonic()


class SmokeFailure(Exception):
    pass


def say(message: str) -> None:
    print(f"smoke [{time.monotonic() - started:5.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The fake Twilio


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


# Processes


class Process:
    """A documented command in its own process group (its children, such as prefork workers or
    the embedded beat, go with it), its output in a log file that a failure shows."""

    started: list["Process"] = []  # not stopped yet

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        Process.started.append(self)
        Process.record()

    @staticmethod
    def record():
        """The process groups not stopped yet, for the shell script's trap to kill should this
        checker itself be killed (only these: a stopped group's number may be reused)."""
        pgid_file = os.environ.get("SMOKE_PGID_FILE")
        if pgid_file:
            Path(pgid_file).write_text("".join(f"{process.popen.pid}\n" for process in Process.started))

    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def require_running(self):
        if not self.running():
            lines = [line for line in self.output().splitlines() if line.strip()]
            last = f": {lines[-1].strip()}" if lines else ""
            raise SmokeFailure(f"{self.name} exited with {self.popen.returncode}{last}")

    def stop(self, timeout: float = 20):
        """SIGTERM (a graceful stop: beat releases its lock, the worker finishes its task), then
        SIGKILL to whatever of the group is left."""
        if self.running():
            self.signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                say(f"{self.name} did not stop within {timeout}s: killed")
        self.signal(signal.SIGKILL)
        self.popen.wait(5)
        self.log.close()
        Process.started.remove(self)
        Process.record()

    def signal(self, number):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, number)


def wait_for(condition, timeout: float, what: str, watch: list[Process] = (), interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        for process in watch:
            process.require_running()
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def manage(venv: Path, env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# HTTP as the TLS proxy sends it


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


# The run


def production_env(public_url: str, fake_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}
    host = urllib.parse.urlsplit(public_url).hostname
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=host,
        CSRF_TRUSTED_ORIGINS=public_url,
        PUBLIC_BASE_URL=public_url,
        DATABASE_URL=f"{POSTGRES}/{DATABASE}",
        REDIS_URL=REDIS_URL,
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_API_BASE_URL=fake_url,
        # Mail goes nowhere: a closed port on 127.0.0.1 (a failed volunteer e-mail is only logged).
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(free_port()),
        TRUSTED_PROXY_COUNT="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


def reset_database():
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0")


def reset_redis():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).flushdb()


def reset_redis_queue():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).delete("celery")  # Celery's default queue


def gunicorn_args(venv: Path, port: int) -> list[str]:
    # docs/deployment.md, section 4 (deploy/systemd/digipunt-web.service), on a port of our own.
    return [
        str(venv / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "3", "--worker-class", "gthread", "--threads", "4",
        "--timeout", "30", "--graceful-timeout", "30",
        "--max-requests", "2000", "--max-requests-jitter", "200",
    ]  # fmt: skip


def celery(venv: Path, *args: str) -> list[str]:
    return [str(venv / "bin" / "celery"), "-A", "config", *args]


def worker_ready(worker: Process) -> bool:
    return " ready." in worker.output()


def run(venv: Path, log_dir: Path, processes: list[Process]):
    port = free_port()
    public_url = f"https://127.0.0.1:{port}"  # the origin the TLS proxy would serve
    fake = FakeTwilio()
    try:
        env = production_env(public_url, fake.url)
        say(f"fake Twilio on {fake.url}; gunicorn on 127.0.0.1:{port}, PUBLIC_BASE_URL {public_url}")
        reset_database()
        reset_redis()
        say(f"fresh database {DATABASE}, Redis {REDIS_URL} flushed")
        manage(venv, env, "migrate", "--no-input", "-v0")
        manage(venv, env, "collectstatic", "--no-input", "-v0")
        manage(venv, env, "check", "--deploy", "--fail-level", "WARNING")
        manage(venv, env, "seed_demo", "--force")
        say("migrate, collectstatic, check --deploy, seed_demo --force: done")

        web = Web(f"http://127.0.0.1:{port}")
        gunicorn = Process("gunicorn", gunicorn_args(venv, port), env, log_dir)
        processes.append(gunicorn)
        # docs/deployment.md, section 5: worker and beat, each its own process.
        worker = Process(
            "worker", celery(venv, "worker", "--loglevel", "INFO", "--concurrency", "2"), env, log_dir
        )
        beat = Process("beat", celery(venv, "beat", "--loglevel", "INFO"), env, log_dir)
        processes += [worker, beat]
        wait_for(web.up, START_TIMEOUT, "gunicorn to answer /healthz", [gunicorn])
        wait_for(lambda: worker_ready(worker), START_TIMEOUT, "the Celery worker to be ready", [worker, beat])
        say("phase 1: gunicorn, `celery worker` and `celery beat` running")
        check_ready(web)
        check_https_redirect(web, public_url)
        token = api_token(web)
        book(web, token, "+32470999001", pick=0)
        check_confirmation_sms(fake, "+32470999001", public_url, [gunicorn, worker, beat], venv, env)
        check_inbound_webhook(web, public_url)
        for process in (beat, worker):
            process.stop()
            processes.remove(process)
        if "beat: Releasing lock" not in beat.output():
            raise SmokeFailure("`celery beat` stopped without releasing its lock in Redis")
        # Task messages phase 1's beat queued and its worker left: gone, so that in phase 2 only
        # the embedded beat can have the SMS sent.
        reset_redis_queue()
        say("phase 1 passed; worker and beat stopped (beat released its lock), task queue emptied")

        # docs/deployment.md, section 5: the worker with its embedded beat, for a single small host.
        embedded = Process(
            "worker-B", celery(venv, "worker", "-B", "--loglevel", "INFO", "--concurrency", "2"), env, log_dir
        )
        processes.append(embedded)
        wait_for(lambda: worker_ready(embedded), START_TIMEOUT, "`celery worker -B` to be ready", [embedded])
        wait_for(
            lambda: "beat: Acquired lock" in embedded.output(), START_TIMEOUT, "the embedded beat", [embedded]
        )
        say("phase 2: `celery worker -B` running, its beat holds the lock")
        check_ready(web)
        book(web, token, "+32470999002", pick=1)
        check_confirmation_sms(fake, "+32470999002", public_url, [gunicorn, embedded], venv, env)
        say("phase 2 passed")
    finally:
        fake.stop()


def print_logs(log_dir: Path):
    for log in sorted(log_dir.glob("*.log")):
        text = log.read_text(errors="replace")
        print(f"\n----- {log.name} (last 4000 characters) -----\n{text[-4000:]}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", required=True, type=Path, help="the production virtualenv")
    parser.add_argument("--timeout", type=int, default=240, help="seconds for the whole run")
    options = parser.parse_args()
    venv = options.venv.resolve()

    def give_up(number, _frame):
        raise SmokeFailure(f"stopped by signal {signal.Signals(number).name}")

    def out_of_time(_number, _frame):
        raise SmokeFailure(f"the smoke test took longer than {options.timeout}s")

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGHUP, give_up)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(options.timeout)

    log_dir = Path(tempfile.mkdtemp(prefix="digipunt-smoke-logs-"))
    processes: list[Process] = []
    failure = None
    try:
        run(venv, log_dir, processes)
    except (SmokeFailure, KeyboardInterrupt) as error:
        failure = str(error) or "interrupted"
    finally:
        signal.alarm(0)
        for process in reversed(processes):
            process.stop(timeout=10)
    if failure is not None:
        print(f"\nsmoke: FAILED: {failure}", file=sys.stderr, flush=True)
        print_logs(log_dir)
        print(f"\nsmoke: logs kept in {log_dir}", flush=True)
        sys.exit(1)
    say("all checks passed, every process stopped")
    if os.environ.get("SMOKE_KEEP_LOGS") == "1":
        say(f"logs kept in {log_dir}")
    else:
        for log in log_dir.glob("*.log"):
            log.unlink()
        log_dir.rmdir()


if __name__ == "__main__":
    main()
