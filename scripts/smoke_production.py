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

The parts, next to this file (imported from this folder, which is on sys.path when it is run
as `python scripts/smoke_production.py`): smoke_common.py (what they share), smoke_fake_twilio.py,
smoke_processes.py (the processes and manage.py) and smoke_checks.py (HTTP and the checks).
"""

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import urllib.parse
from pathlib import Path

from smoke_checks import (
    Web,
    api_token,
    book,
    check_confirmation_sms,
    check_https_redirect,
    check_inbound_webhook,
    check_ready,
)
from smoke_common import ACCOUNT_SID, AUTH_TOKEN, SmokeFailure, free_port, say
from smoke_fake_twilio import FakeTwilio
from smoke_processes import Process, celery, gunicorn_args, manage, wait_for, worker_ready

DATABASE = "digipunt_smoke"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/11"
START_TIMEOUT = 60
# Variables passed on from the caller's environment; everything else the app reads is set here.
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "USER", "LOGNAME"}


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


def run(venv: Path, log_dir: Path, processes: list[Process]):
    port = free_port()
    public_url = f"https://127.0.0.1:{port}"  # the origin the TLS proxy would serve
    fake = FakeTwilio()
    try:
        env = production_env(public_url, fake.url)
        # Static files of its own: CI runs the tests beside it, and their WhiteNoise reads
        # ./staticfiles while collectstatic would be rewriting it.
        env["STATIC_ROOT"] = str(log_dir / "static")
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
        shutil.rmtree(log_dir)  # the logs and the static files collected there


if __name__ == "__main__":
    main()
