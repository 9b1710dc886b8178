"""How long `conversations.understanding.read()` takes per call, and what loading it costs.

    flock /tmp/bench.lock .venv/bin/python bench/understanding_bench.py

Pure Python, no database: run from the repository root. Prints the start-up cost (time and
resident memory of the first call, which loads dateparser's and lingua's data) and the time
per call over a mix of messages like those the webhook gets.
"""

import datetime
import pathlib
import resource
import statistics
import sys
import time
import zoneinfo

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

MESSAGES = [
    "1", "2", "AFSPRAAK", "rdv", "ja", "ok", "MEER", "Bonjour", "Goeiemiddag", "hi",
    "ik wil een afspraak voor mijne gsm", "je voudrais de l'aide pour mes impôts",
    "I need help with my phone", "de tweede graag", "la deuxième", "dinsdagnamiddag",
    "om 10u", "mardi matin", "liever in de namiddag", "een andere dag", "volgende week",
    "gelieve mij te bellen aub", "ik zeg mijn afspraak af", "kan ik mijn afspraak verzetten",
    "stop sms", "mijn bankapp stopt steeds", "belastinegn", "iets met itsme",
]  # fmt: skip
ROUNDS = 50


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    before = rss_mb()
    started = time.perf_counter()
    from conversations.understanding import read

    now = datetime.datetime(2026, 11, 26, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    read("dinsdag om 10u, kunt u mij bellen?", now=now)
    first = time.perf_counter() - started
    print(f"import + first call: {first:.2f} s, resident memory {before:.0f} -> {rss_mb():.0f} MB")
    for body in MESSAGES:
        read(body, now=now)  # each message's own first time (dateparser's cache, lingua's models)
    per_call = []
    for _ in range(ROUNDS):
        for body in MESSAGES:
            started = time.perf_counter()
            read(body, now=now)
            per_call.append((time.perf_counter() - started) * 1e6)
    per_call.sort()
    print(
        f"read(): {len(per_call)} calls, mean {statistics.mean(per_call):.0f} us, "
        f"median {statistics.median(per_call):.0f} us, p95 {per_call[int(len(per_call) * 0.95)]:.0f} us, "
        f"max {per_call[-1]:.0f} us; resident memory {rss_mb():.0f} MB"
    )
    # Uncached days: a new phrase each time, as dateparser sees it the first time that day.
    uncached = []
    for day in range(1, 29):
        started = time.perf_counter()
        read(f"op {day} februari", now=now)
        uncached.append((time.perf_counter() - started) * 1e3)
    print(f"read() of a day dateparser has not seen today: median {statistics.median(uncached):.1f} ms")


if __name__ == "__main__":
    main()
