"""The load generator of bench/web_bench.py: closed loop (as fast as answers come) or open loop
(requests leave on a schedule; latency counts from the scheduled time), in forked processes with
one keep-alive connection (http.client) per thread. No Django here, beyond closing its
connections before the fork.

The requests: GET /healthz, a signed POST /sms/inbound/ from a new number each time, a signed
POST to any path (the floor webhook), an authenticated GET of any path (slots, the floor API call),
and POST /api/v1/appointments/ on given slots; `contention` releases several clients at once on one
slot.
"""

import http.client
import itertools
import json
import multiprocessing
import os
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

SMS_TO = "+32460999000"  # the seeded municipality's number (bench/data.py seed_web)
DEV_TOKEN = "dev-twilio-auth-token"  # the console backend's development token (config/settings.py)


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
    elif kind["kind"] == "slots":
        # Any authenticated GET; `tokens` [process][thread]: one caller per client thread.
        token = kind["tokens"][process][thread] if "tokens" in kind else kind["token"]
        headers = {"Authorization": f"Token {token}"}
        while True:
            yield "GET", kind["path"], None, headers
    elif kind["kind"] == "voice":
        from twilio.request_validator import RequestValidator

        validator = RequestValidator(DEV_TOKEN)
        url = kind["base_url"] + "/voice/inbound/"
        for n in itertools.count():
            # A new call from a new number each time: the call row, its step row, the welcome.
            params = {
                "CallSid": "CA" + uuid.uuid4().hex,
                "AccountSid": "AC" + "0" * 32,
                "From": f"+324{kind['prefix']}{process * 10 + thread:02d}{n:05d}",
                "To": SMS_TO,
                "CallStatus": "ringing",
            }
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": validator.compute_signature(url, params),
            }
            yield "POST", "/voice/inbound/", urlencode(params), headers
    elif kind["kind"] == "signed":
        # A signed Twilio-like POST to `path` (the floor webhook of bench/bench_urls.py).
        from twilio.request_validator import RequestValidator

        validator = RequestValidator(DEV_TOKEN)
        url = kind["base_url"] + kind["path"]
        while True:
            # A new MessageSid each time: the storing floor keeps each one once.
            params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32}
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": validator.compute_signature(url, params),
            }
            yield "POST", kind["path"], urlencode(params), headers
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


class Beside:
    """Closed-loop phases, each between two of `GET /healthz`, its baseline their mean. The
    shared cores' speed drifts over minutes (other work on the host), so one /healthz figure
    at the start would be a baseline for the first phases only; one measured next to its
    phase drifts with it."""

    def __init__(self, port: int, *, phase: float, processes: int, threads: int):
        self.port, self.phase, self.closed = port, phase, {"processes": processes, "threads": threads}
        self.last = self._healthz()
        self.healthz = [self.last]

    def _healthz(self) -> dict:
        return load(self.port, {"kind": "healthz"}, duration=self.phase, **self.closed)

    def run(self, requests: dict, *, warm: float = 0, duration: float | None = None) -> tuple[dict, dict]:
        """(the phase, its baseline): ok_rps, p50_ms and p99_ms of /healthz before and after."""
        if warm:
            load(self.port, requests, duration=warm, **self.closed)
        result = load(self.port, requests, duration=duration or self.phase, **self.closed)
        after = self._healthz()
        before, self.last = self.last, after
        self.healthz.append(after)
        baseline = {
            key: (before[key] + after[key]) / 2 if before[key] and after[key] else before[key] or after[key]
            for key in ("ok_rps", "p50_ms", "p99_ms")
        }
        return result, {**baseline, "before_rps": before["ok_rps"], "after_rps": after["ok_rps"]}
