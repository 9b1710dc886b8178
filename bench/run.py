"""Benchmarks: one line per figure, with its baseline measured in the same run and the ratio.

    python bench/run.py            # the full run; writes bench/results.json
    python bench/run.py --quick    # smaller data and shorter phases, within a minute; writes nothing

ratio = value / baseline for every figure. What is measured (details in each module):

1. SMS webhook under gunicorn on PostgreSQL (bench/web_bench.py): the highest rate of signed
   POST /sms/inbound/ (each from a new number: first SMS -> topic menu) against GET /healthz on the
   same server from the same load generator, and of a free-text answer to the menu ("mijn gsm");
   then p50/p99 at a fixed load of half the webhook's
   highest rate (open loop).
2. Slot search (bench/slot_figures.py; SQLite; 2 digipunten, 20 volunteers, 2,000 appointments
   over four weeks) against django-appointment 3.12 with the same shape of data (bench/peer_appt.py
   in the peer harness).
3. Statistics (bench/stats_figures.py, bench/stats_bench.py): one municipality-year dashboard
   against the raw-SQL floor on the same database, on SQLite and PostgreSQL, and against
   django-helpdesk 2.6 (full run only).
4. Booking: the booking function in-process against a plain ORM INSERT of the same row
   (PostgreSQL) and against django-appointment's booking (SQLite); through the API under gunicorn
   on distinct slots; and many clients at once on one slot (one success, the rest 409, no 5xx).
5. Peak memory of the CSV export (1,000,000 rows in the full run).

The data is built by bench/data.py with the project's models (no test tree, no factory-boy: the
runtime requirements are enough). The peers are optional (bench/peers.py): PEERS_SRC names the
peer harness (a directory with setup.sh); without it their comparisons print "not measured".

Databases are throw-away copies of migrated templates (bench/dbs.py): SQLite files in a temporary
directory, PostgreSQL databases named after BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/digipunt_bench, plus _stats).
"""

import atexit
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()
START_ENV = dict(os.environ)  # before this run sets anything: what the peers' processes get
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK = "--quick" in sys.argv
RESULTS = HERE / "results.json"
sys.path[:0] = [str(ROOT), str(HERE)]

import dbs  # noqa: E402
from session import Session  # noqa: E402

# Our side of the slot benchmark runs on its own throw-away SQLite database.
workdir = Path(tempfile.mkdtemp(prefix="digipunt-bench-"))
atexit.register(shutil.rmtree, workdir, ignore_errors=True)  # a full run leaves 2 GB of SQLite
os.environ["DATABASE_URL"] = dbs.sqlite_copy(workdir / "bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"  # config.settings, mail in memory
os.environ["BENCH_WORKDIR"] = str(workdir)

import django  # noqa: E402

django.setup()

from benchlib import calibrate  # noqa: E402
from peers import Peers  # noqa: E402
from slot_figures import ours, slot_figures  # noqa: E402
from stats_figures import measure_stats, stats_figures  # noqa: E402


def web_figures(session):
    """bench/web_bench.py in a subprocess, on a fresh PostgreSQL copy."""
    url = dbs.postgres_copy("")
    if url is None:
        session.skip("the webhook and booking benchmarks under gunicorn (no PostgreSQL server answered)")
        return
    out = subprocess.run(
        [sys.executable, str(HERE / "web_bench.py"), *(["--quick"] if session.quick else [])],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    session.details["web"] = result["info"]
    session.emit(*result["figures"])
    if session.quick:
        session.skip("the webhook's sentence -> 3 slots step at max rate (full run only)")


def machine() -> dict:
    cpu = platform.processor()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
        ram = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        ram = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram, 1) if ram else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": dbs.postgres_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit": commit.stdout.strip() or None,
    }


def main():
    session = Session(quick=QUICK, workdir=workdir)
    peers = Peers(START_ENV, session)
    info = machine()
    print(
        f"# {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, {info['date']}, commit {info['git_commit']}"
        f"{' (--quick)' if QUICK else ''}"
    )
    print("# ratio = value / baseline, both measured in this run", flush=True)
    timings = session.details["seconds"] = {}
    last = time.perf_counter()

    def lap(name):
        nonlocal last
        timings[name] = round(time.perf_counter() - last, 1)
        last = time.perf_counter()

    def attempt(name, fn, *args):
        """A failing part is reported and skipped; the other parts still run."""
        try:
            return fn(*args)
        except Exception as error:  # a benchmark run should still print what it could measure
            detail = getattr(error, "stderr", None) or ""
            print(f"# {name} failed: {error!r} {detail[-1500:]}", file=sys.stderr, flush=True)
            session.skip(f"{name} (failed: {type(error).__name__})")
            return None
        finally:
            lap(name)

    attempt("webhook and booking under gunicorn", web_figures, session)  # first: the machine is coldest
    mine = attempt("slot search and booking on SQLite", ours, QUICK)
    anchors = calibrate(500 if QUICK else 2000)
    session.details["calibration"] = anchors
    theirs = attempt("django-appointment", peers.appointment, QUICK)
    if mine:
        session.emit(*slot_figures(mine, theirs))
    stats = attempt("statistics", measure_stats, QUICK, workdir)
    if QUICK:
        hd = None
        peers.not_measured("django-helpdesk", "--quick: seeding 100,000 tickets and its views take minutes")
    else:
        hd = attempt("django-helpdesk", peers.helpdesk)
    if stats:
        stats_figures(session, stats, hd)
    elapsed = time.perf_counter() - STARTED
    for anchor in anchors:
        print(f"# machine anchor: {anchor['name']}: {anchor['median_ms']:.3f} ms")
    for what in session.skipped:
        print(f"# not measured in this run: {what}")
    print(f"# finished in {elapsed:.0f} s ({', '.join(f'{k} {v} s' for k, v in timings.items())})")
    if not QUICK:
        info["duration_s"] = round(elapsed)
        results = {
            "machine": info,
            "figures": session.figures,
            "skipped": session.skipped,
            "details": session.details,
        }
        RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
        print(
            f"# wrote {RESULTS.relative_to(ROOT)};"
            " python bench/report.py --write puts it in docs/benchmarks.md"
        )


if __name__ == "__main__":
    main()
