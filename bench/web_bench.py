"""The HTTP benchmarks on PostgreSQL under gunicorn (run by bench/run.py, or alone):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digipunt_bench python bench/web_bench.py [--quick]

Seeds one municipality (4 digipunten with one desk and one volunteer each), then, in this order:
1. in-process, sequential: the booking function (appointments.booking.book) on distinct slots,
   against a plain ORM INSERT of the same appointment row (the floor of any booking);
2. starts gunicorn (gthread workers) on a free port with DEBUG off, and drives it from several
   load-generator processes (http.client, keep-alive, one connection per thread):
   - the highest request rate (closed loop) of GET /healthz (a minimal Django view: one SELECT 1
     through the whole middleware stack) and of a signed POST /sms/inbound/ (each from a new
     number, so each is a real conversation step: first SMS -> topic menu);
   - then the webhook at a fixed rate of half its highest rate (open loop: requests leave on a
     schedule, latency is measured from the scheduled time), p50 and p99;
   - booking through the API (POST /api/v1/appointments/) on distinct slots from concurrent
     clients, and contention: several clients released at once on the same slot.
Prints one JSON object: {"figures": [...], "info": {...}}.
"""

import argparse
import datetime
import http.client
import itertools
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
# config.settings with mail kept in memory (a booking e-mails the volunteer; no SMTP here).
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"

from figures import figure  # noqa: E402

SMS_TO = "+32460999000"
DEV_TOKEN = "dev-twilio-auth-token"  # the console backend's development token (settings.py)
WORKERS, THREADS = 3, 4  # gunicorn: 3 gthread workers x 4 threads on 2 cores
CLIENT_PROCESSES, CLIENT_THREADS = 3, 2  # closed loop: 6 connections in flight
OPEN_PROCESSES, OPEN_THREADS = 3, 4  # open loop: 12 connections to keep the schedule


# The load generator: runs in forked processes, no Django.


def _requests(kind: dict, process: int, thread: int):
    """The requests one client thread sends: (method, path, body, headers)."""
    if kind["kind"] == "healthz":
        while True:
            yield "GET", "/healthz", None, {}
    elif kind["kind"] == "sms":
        from twilio.request_validator import RequestValidator

        validator = RequestValidator(DEV_TOKEN)
        url = kind["base_url"] + "/sms/inbound/"
        for n in itertools.count():
            # A new Belgian mobile number per request: +32 4P TT NNNNN (P phase, TT thread).
            params = {
                "MessageSid": "SM" + uuid.uuid4().hex,
                "AccountSid": "AC" + "0" * 32,
                "From": f"+324{kind['prefix']}{process * 10 + thread:02d}{n:05d}",
                "To": SMS_TO,
                "Body": kind["body"],
            }
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": validator.compute_signature(url, params),
            }
            yield "POST", "/sms/inbound/", urlencode(params), headers
    elif kind["kind"] == "booking":
        headers = {"Content-Type": "application/json", "Authorization": f"Token {kind['token']}"}
        for body in kind["bodies"][process][thread]:
            yield "POST", "/api/v1/appointments/", json.dumps(body), headers


def _thread(spec: dict, process: int, thread: int, out: list) -> None:
    port, duration = spec["port"], spec["duration"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.connect()
    requests = _requests(spec["requests"], process, thread)
    latencies, statuses = [], Counter()
    # Aligned start across processes: t0 is wall-clock time.
    start = time.perf_counter() + (spec["t0"] - time.time())
    while time.perf_counter() < start:
        time.sleep(min(0.01, max(0.0, start - time.perf_counter())))
    end = start + duration
    interval = spec.get("interval")  # open loop: this thread's share of the schedule
    offset = spec.get("offset", 0.0)
    last = start
    for i in itertools.count():
        if interval:
            scheduled = start + offset + i * interval
            if scheduled >= end:
                break
            wait = scheduled - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        else:
            scheduled = time.perf_counter()
            if scheduled >= end:
                break
        try:
            method, path, body, headers = next(requests)
        except StopIteration:
            break
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        except (OSError, http.client.HTTPException):
            statuses["error"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        last = time.perf_counter()
        latencies.append((last - scheduled) * 1000)
    connection.close()
    out.append({"latencies": latencies, "statuses": statuses, "elapsed": last - start})


def _process(spec: dict) -> dict:
    process = spec["process"]
    out: list = []
    threads = []
    for thread in range(spec["threads"]):
        own = dict(spec)
        if spec.get("rate"):
            share = spec["threads"] * spec["processes"]
            own["interval"] = share / spec["rate"]
            own["offset"] = (process * spec["threads"] + thread) / spec["rate"]
        threads.append(threading.Thread(target=_thread, args=(own, process, thread, out)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    usage = os.times()
    return {
        "latencies": [x for r in out for x in r["latencies"]],
        "statuses": sum((r["statuses"] for r in out), Counter()),
        "elapsed": max(r["elapsed"] for r in out),
        "cpu": usage.user + usage.system,
    }


def load(
    port: int, requests: dict, *, duration: float, processes: int, threads: int, rate: float = 0
) -> dict:
    """Run the load generator; closed loop (as fast as answers come) unless `rate` (req/s) is set."""
    from django.db import connections

    connections.close_all()  # nothing Django-side crosses the fork
    t0 = time.time() + 0.3
    specs = [
        {
            "port": port,
            "requests": requests,
            "duration": duration,
            "t0": t0,
            "process": p,
            "processes": processes,
            "threads": threads,
            "rate": rate,
        }
        for p in range(processes)
    ]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(_process, specs)
    latencies = sorted(x for part in parts for x in part["latencies"])
    statuses = sum((part["statuses"] for part in parts), Counter())
    elapsed = max(part["elapsed"] for part in parts)
    ok = sum(n for status, n in statuses.items() if status in (200, 201))
    return {
        "requests": len(latencies),
        "ok": ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "elapsed_s": round(elapsed, 2),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "ok_rps": ok / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "client_cpu_cores": round(sum(part["cpu"] for part in parts) / elapsed, 2) if elapsed else None,
    }


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return round(sorted_values[index], 2)


# The server.


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
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
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


# Data (seeded by bench/data.py).


def slot_pools(municipality, topic, *, sizes: list[int]):
    """Disjoint lists of free, non-overlapping slots (one desk and one volunteer each, so each
    slot takes exactly one booking), round-robin over the digipunten."""
    from django.utils import timezone

    from appointments.slots import free_slots

    now = timezone.now()
    today = timezone.localdate()
    slots = free_slots(
        topic=topic,
        language="nl",
        start_date=today + datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=56),
        now=now,
        municipality=municipality,
    )
    taken: dict[int, datetime.datetime] = {}
    chosen = []
    for slot in slots:  # sorted by start: keep one that starts after the previous at its place ended
        if slot.start >= taken.get(slot.digipunt.pk, slot.start):
            chosen.append(slot)
            taken[slot.digipunt.pk] = slot.end
    if len(chosen) < sum(sizes):
        raise RuntimeError(f"only {len(chosen)} free slots for {sum(sizes)} bookings")
    pools, at = [], 0
    for size in sizes:
        pools.append(chosen[at : at + size])
        at += size
    return pools


def in_process_booking(slots, topic, floor_slots):
    """booking.book() for one new citizen per slot, against Appointment.objects.create of the
    same row in a transaction (no checks, no locks, no event or reminder rows)."""
    from django.db import transaction

    from appointments.booking import book
    from appointments.models import Appointment
    from helpdesk.models import Citizen

    municipality = slots[0].digipunt.municipality
    citizens = Citizen.objects.bulk_create(
        Citizen(municipality=municipality, phone=f"+32499{i:06d}")
        for i in range(len(slots) + len(floor_slots))
    )
    times = []
    for slot, citizen in zip(slots, citizens, strict=False):
        t0 = time.perf_counter()
        book(
            citizen=citizen,
            digipunt=slot.digipunt,
            topic=topic,
            start=slot.start,
            language="nl",
            channel="api",
        )
        times.append((time.perf_counter() - t0) * 1000)
    floor = []
    for i, slot in enumerate(floor_slots):
        row = {
            "digipunt": slot.digipunt,
            "topic": topic,
            "citizen": citizens[len(slots) + i],
            "volunteer_id": slot.volunteer_ids[0],
            "language": "nl",
            "channel": "api",
            "start": slot.start,
            "end": slot.end,
            "code": f"F{i:05d}",
        }
        t0 = time.perf_counter()
        with transaction.atomic():
            Appointment.objects.create(**row)
        floor.append((time.perf_counter() - t0) * 1000)
    skip = max(1, len(times) // 10)  # warm-up
    return statistics.median(times[skip:]), statistics.median(floor[skip:])


def api_bodies(slots, prefix: str):
    return [
        {
            "digipunt": slot.digipunt.pk,
            "topic": "device_basics",
            "start": slot.start.isoformat(),
            "language": "nl",
            "channel": "phone",
            "citizen": {"phone": f"+32{prefix}{i:07d}"},
        }
        for i, slot in enumerate(slots)
    ]


def contention(port: int, token: str, slots, attempts: int) -> Counter:
    """For each slot, `attempts` threads with their own connection post at the same moment."""
    statuses = Counter()
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    for round_, slot in enumerate(slots):
        barrier = threading.Barrier(attempts)
        lock = threading.Lock()

        def attempt(n, slot=slot, round_=round_, barrier=barrier, lock=lock):
            body = api_bodies([slot], f"48{round_:02d}")[0]
            body["citizen"]["phone"] = f"+3248{round_:03d}{n:04d}"
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.connect()
            barrier.wait()
            try:
                connection.request("POST", "/api/v1/appointments/", json.dumps(body), headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = "error"
            with lock:
                statuses[status] += 1

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    import django

    django.setup()
    from data import seed_web

    from appointments.models import Appointment

    workdir = Path(os.environ.get("BENCH_WORKDIR", "/tmp"))
    phase, warm, fixed_seconds = (2.0, 0.5, 2.0) if quick else (10.0, 2.0, 15.0)
    n_inproc, n_api, rounds, attempts = (12, 24, 2, 12) if quick else (100, 240, 10, 16)
    municipality, _places, topic, token = seed_web(SMS_TO)
    pool_inproc, pool_floor, pool_api, pool_contention = slot_pools(
        municipality, topic, sizes=[n_inproc, n_inproc, n_api, rounds]
    )
    book_ms, insert_ms = in_process_booking(pool_inproc, topic, pool_floor)
    figures = [
        figure(
            "booking_inprocess_ms",
            f"booking: book() in-process, {n_inproc} distinct slots, PostgreSQL",
            book_ms,
            "ms",
            baseline=insert_ms,
            baseline_name="plain ORM INSERT of the same appointment row, same database",
        ),
    ]
    server = Gunicorn(os.environ["DATABASE_URL"], workdir / "gunicorn.log")
    info = {"server": f"gunicorn {WORKERS} gthread workers x {THREADS} threads", "quick": quick}
    try:
        server.wait_ready()
        port = server.port
        closed = {"processes": CLIENT_PROCESSES, "threads": CLIENT_THREADS}
        load(port, {"kind": "healthz"}, duration=warm, **closed)  # warm-up: connections, imports
        load(
            port,
            {"kind": "sms", "base_url": server.base_url, "body": "AFSPRAAK", "prefix": "6"},
            duration=warm,
            **closed,
        )
        healthz = load(port, {"kind": "healthz"}, duration=phase, **closed)
        menu_kind = {"kind": "sms", "base_url": server.base_url, "body": "AFSPRAAK", "prefix": "7"}
        menu = load(port, menu_kind, duration=phase, **closed)
        half = menu["ok_rps"] / 2
        fixed = load(
            port,
            {**menu_kind, "prefix": "8"},
            duration=fixed_seconds,
            rate=half,
            processes=OPEN_PROCESSES,
            threads=OPEN_THREADS,
        )
        # The latency baseline: the minimal view at the same fixed rate, same schedule.
        fixed_healthz = load(
            port,
            {"kind": "healthz"},
            duration=fixed_seconds,
            rate=half,
            processes=OPEN_PROCESSES,
            threads=OPEN_THREADS,
        )
        sentence = None
        if not quick:
            sentence = load(
                port,
                {
                    "kind": "sms",
                    "base_url": server.base_url,
                    "prefix": "9",
                    "body": "ik wil hulp met mijn belastingen",
                },
                duration=phase,
                **closed,
            )
        bodies = api_bodies(pool_api, "47")
        split = CLIENT_PROCESSES * CLIENT_THREADS
        spread = [
            [bodies[(p * CLIENT_THREADS + t) :: split] for t in range(CLIENT_THREADS)]
            for p in range(CLIENT_PROCESSES)
        ]
        api = load(port, {"kind": "booking", "token": token, "bodies": spread}, duration=600, **closed)
        contended = contention(port, token, pool_contention, attempts)
    finally:
        server.stop()
    per_slot = [
        Appointment.objects.filter(digipunt=s.digipunt, start=s.start, status__in=Appointment.ACTIVE).count()
        for s in pool_contention
    ]
    connections = f"{CLIENT_PROCESSES * CLIENT_THREADS} connections"
    info.update(
        healthz=healthz,
        menu=menu,
        fixed=fixed,
        fixed_healthz=fixed_healthz,
        sentence=sentence,
        api=api,
        contention={
            "statuses": {str(k): v for k, v in contended.items()},
            "per_slot": per_slot,
            "attempts": attempts,
            "rounds": rounds,
        },
    )
    errors = lambda r: sum(v for k, v in r["statuses"].items() if k not in ("200", "201"))  # noqa: E731
    ratio_goal = "goal >= 0.5: " + ("met" if menu["ok_rps"] >= healthz["ok_rps"] / 2 else "NOT met")
    p99_goal = "goal p99 < 100 ms: " + ("met" if (fixed["p99_ms"] or 1e9) < 100 else "NOT met")
    figures += [
        figure(
            "webhook_rps",
            f"SMS webhook, first SMS -> topic menu, max rate ({connections})",
            menu["ok_rps"],
            "req/s",
            baseline=healthz["ok_rps"],
            baseline_name="GET /healthz, same server, same clients",
            better="higher",
            note=f"{ratio_goal}; non-2xx {errors(menu)}; client used {menu['client_cpu_cores']} cores",
        ),
        figure(
            "webhook_p50_ms",
            f"SMS webhook at {half:.0f} req/s (half its max, open loop): p50",
            fixed["p50_ms"],
            "ms",
            baseline=fixed_healthz["p50_ms"],
            baseline_name="GET /healthz at the same rate and schedule",
            note=f"sent {fixed['requests']} in {fixed['elapsed_s']} s, non-2xx {errors(fixed)}",
        ),
        figure(
            "webhook_p99_ms",
            f"SMS webhook at {half:.0f} req/s (half its max, open loop): p99",
            fixed["p99_ms"],
            "ms",
            baseline=fixed_healthz["p99_ms"],
            baseline_name="GET /healthz at the same rate and schedule",
            note=p99_goal,
        ),
    ]
    if sentence:
        figures.append(
            figure(
                "webhook_slots_rps",
                "SMS webhook, sentence -> 3 slots (slot search), max rate",
                sentence["ok_rps"],
                "req/s",
                baseline=healthz["ok_rps"],
                baseline_name="GET /healthz, same server",
                better="higher",
                note=f"non-2xx {errors(sentence)}",
            )
        )
    fives = sum(v for k, v in contended.items() if str(k).startswith("5") or k == "error")
    figures += [
        figure(
            "booking_api_rps",
            f"booking via API, {n_api} distinct slots, {connections}",
            api["ok_rps"],
            "bookings/s",
            baseline=healthz["ok_rps"],
            baseline_unit="req/s",
            baseline_name="GET /healthz, same server",
            better="higher",
            note=f"statuses {api['statuses']}",
        ),
        figure(
            "booking_contention",
            f"booking via API, {attempts} clients at once on one slot x {rounds}",
            max(per_slot),
            "appts/slot",
            baseline=1,
            baseline_name="expected: exactly one",
            note=f"statuses {dict(contended)}; 5xx {fives} (goal: none)",
        ),
    ]
    print(json.dumps({"figures": figures, "info": info}, default=str))


if __name__ == "__main__":
    main()
