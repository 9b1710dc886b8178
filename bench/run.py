"""Benchmarks: one line per figure, with its baseline measured in the same run and the ratio.

    python bench/run.py            # the full run; writes bench/results.json
    python bench/run.py --quick    # smaller data and shorter phases, within a minute; writes nothing

ratio = value / baseline for every figure. What is measured (details in each module):

1. SMS webhook under gunicorn on PostgreSQL (bench/web_bench.py): the highest rate of signed
   POST /sms/inbound/ (each from a new number: first SMS -> topic menu) against GET /healthz on the
   same server from the same load generator; then p50/p99 at a fixed load of half the webhook's
   highest rate (open loop).
2. Slot search (SQLite; 2 digipunten, 20 volunteers, 2,000 appointments over four weeks) against
   django-appointment 3.12 with the same shape of data (bench/peer_appt.py in the peers harness).
3. Statistics (bench/stats_bench.py): one municipality-year dashboard against the raw-SQL floor on
   the same database, on SQLite and PostgreSQL, and against django-helpdesk 2.6 (full run only).
4. Booking: the booking function in-process against a plain ORM INSERT of the same row
   (PostgreSQL) and against django-appointment's booking (SQLite); through the API under gunicorn
   on distinct slots; and many clients at once on one slot (one success, the rest 409, no 5xx).
5. Peak memory of the CSV export (1,000,000 rows in the full run).

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
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = Path(os.environ.get("PEERS_SRC", ROOT.parent / "shared" / "peers"))
PEERS_WORK = Path(os.environ.get("PEERS_WORK", "/tmp/peers-work"))
QUICK = "--quick" in sys.argv
RESULTS = HERE / "results.json"
sys.path[:0] = [str(ROOT), str(HERE)]

import dbs  # noqa: E402
from figures import figure, line  # noqa: E402

# Our side of the slot benchmark runs on its own throw-away SQLite database.
workdir = Path(tempfile.mkdtemp(prefix="digipunt-bench-"))
atexit.register(shutil.rmtree, workdir, ignore_errors=True)  # a full run leaves 2 GB of SQLite
os.environ["DATABASE_URL"] = dbs.sqlite_copy(workdir / "bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"  # config.settings, mail in memory
os.environ["BENCH_WORKDIR"] = str(workdir)

import django  # noqa: E402

django.setup()

from benchlib import calibrate, measure  # noqa: E402
from django.utils import timezone  # noqa: E402

N_VOLUNTEERS, N_APPOINTMENTS, HORIZON_DAYS = 20, 2000, 28
SKIPPED: list[str] = []
FIGURES: list[dict] = []
DETAILS: dict = {}


def emit(*figures):
    for f in figures:
        FIGURES.append(f)
        print(line(f), flush=True)


def ours():
    """Slot search and the booking function on the seeded SQLite database."""
    import data

    from appointments.booking import book
    from appointments.slots import free_slots

    municipality, places, topic = data.seed_slots(N_VOLUNTEERS, N_APPOINTMENTS, HORIZON_DAYS)
    now = timezone.now()
    today = timezone.localdate()
    last = today + datetime.timedelta(days=HORIZON_DAYS)
    reps = 3 if QUICK else 15

    def horizon():
        return free_slots(
            topic=topic, language="nl", start_date=today, end_date=last, now=now, municipality=municipality
        )

    def one_day():
        day = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
        return free_slots(
            topic=topic, language="nl", start_date=day, end_date=day, now=now, digipunten=[places[0]]
        )

    found = horizon()
    results = {
        "horizon": measure("slots: municipality, 2 digipunten x 20 volunteers x 4 weeks", horizon, reps, 1),
        "one_day": measure("slots: 1 digipunt, 1 day", one_day, reps * 5, 2),
        "slots_found": len(found),
    }
    # Booking: one new citizen per free slot, spread over the horizon.
    n = 12 if QUICK else 100
    picks = iter(found[:: max(1, len(found) // (n + 3))])
    citizens = iter(data.citizens(municipality, "472", n + 3))

    def book_one():
        slot = next(picks)
        book(
            citizen=next(citizens),
            digipunt=slot.digipunt,
            topic=topic,
            start=slot.start,
            language="nl",
            channel="phone",
        )

    results["book"] = measure("book(), distinct slots", book_one, n - 1, 1)  # + the query count's call
    return results


def peer():
    """django-appointment on its own seeded SQLite database (seeded once, copied per run)."""
    run_dir = PEERS_WORK / "appt"
    python = PEERS_WORK / "venv-appt" / "bin" / "python"
    if not python.exists():
        if not (PEERS / "setup.sh").exists():
            return None
        env = {**os.environ, "PEERS_WORK": str(PEERS_WORK)}
        subprocess.run(["bash", str(PEERS / "setup.sh")], check=True, env=env, stdout=subprocess.DEVNULL)
    seed_db = run_dir / "db_seed.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    if not seed_db.exists():
        db = run_dir / "db.sqlite3"
        db.unlink(missing_ok=True)
        for args in (["manage.py", "migrate", "-v0"], ["seed_appt.py"]):
            subprocess.run(
                [str(python), *args],
                cwd=run_dir,
                check=True,
                env={**env, "BENCH_DB": str(db)},
                stdout=subprocess.DEVNULL,
            )
        db.rename(seed_db)
    run_db = workdir / "appt.sqlite3"
    run_db.write_bytes(seed_db.read_bytes())
    out = workdir / "appt.json"
    subprocess.run(
        [str(python), str(HERE / "peer_appt.py"), str(out), "0.1" if QUICK else "1"],
        cwd=run_dir,
        check=True,
        env={**env, "BENCH_DB": str(run_db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return {r["name"][:2]: r for r in json.loads(out.read_text())}


def slot_figures(mine, theirs):
    horizon, one_day, book = mine["horizon"], mine["one_day"], mine["book"]
    a1, b1, c2, d = (theirs.get(k) if theirs else None for k in ("a1", "b1", "c2", "d "))
    peer = "django-appointment 3.12"
    if theirs is None:
        SKIPPED.append("django-appointment (no peers harness): its baselines are missing")
    emit(
        figure(
            "slots_horizon_ms",
            "slots, whole municipality, 4 weeks (SQLite): median",
            horizon["median_ms"],
            "ms",
            baseline=b1 and b1["median_ms"],
            baseline_name=f"{peer}, 20 staff x month, staff by staff",
            note=f"{mine['slots_found']} free slots over {N_APPOINTMENTS} booked appointments",
        ),
        figure(
            "slots_horizon_queries",
            "slots, whole municipality, 4 weeks: SQL queries",
            horizon["queries"],
            "q",
            baseline=b1 and b1["queries"],
            baseline_name=f"{peer}, same",
        ),
        figure(
            "slots_day_ms",
            "slots, 1 digipunt, 1 day (SQLite): median",
            one_day["median_ms"],
            "ms",
            baseline=a1 and a1["median_ms"],
            baseline_name=f"{peer}, 1 staff, 1 day",
        ),
        figure(
            "slots_day_queries",
            "slots, 1 digipunt, 1 day: SQL queries",
            one_day["queries"],
            "q",
            baseline=a1 and a1["queries"],
            baseline_name=f"{peer}, same",
        ),
        figure(
            "booking_sqlite_ms",
            "booking: book() in-process, distinct slots (SQLite): median",
            book["median_ms"],
            "ms",
            baseline=c2 and c2["median_ms"],
            baseline_name=f"{peer} booking, model path, no double-booking check",
            note=f"{book['queries']} queries against {c2['queries'] if c2 else '?'}"
            + (f"; {peer} double-booking probe: {d['value']} appointments in one slot" if d else ""),
        ),
    )


def stats_figures():
    """help_requests.stats on SQLite and PostgreSQL (one subprocess each, own database)."""
    single, network = (20_000, 0) if QUICK else (100_000, 4_900_000)
    reps = "3" if QUICK else "9"
    script = str(HERE / "stats_bench.py")
    results = {}
    sqlite_url = dbs.sqlite_copy(workdir / "stats.sqlite3")
    for label, url in (("SQLite", sqlite_url), ("PostgreSQL", dbs.postgres_copy("_stats"))):
        if url is None:
            results[label] = None
            continue
        out = subprocess.run(
            [sys.executable, script, "--single", str(single), "--network", str(network), "--reps", reps],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        )
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    rows = results["SQLite"]["rows"]
    results["csv"] = []
    for limit in sorted({min(rows, 100_000), min(rows, 1_000_000)}):
        out = subprocess.run(
            [sys.executable, script, "--csv-rss", str(limit)],
            env={**os.environ, "DATABASE_URL": sqlite_url},
            check=True,
            capture_output=True,
            text=True,
        )
        results["csv"].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def helpdesk_peer():
    """django-helpdesk 2.6 over 100,000 tickets: its dashboard and a report (seeded once)."""
    run_dir = PEERS_WORK / "hd"
    python = PEERS_WORK / "venv-hd" / "bin" / "python"
    if not python.exists():
        return None
    seed_db = run_dir / "db_seed.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    if not seed_db.exists():
        db = run_dir / "db.sqlite3"
        db.unlink(missing_ok=True)
        for args in (["manage.py", "migrate", "-v0"], ["seed_hd.py"]):
            subprocess.run(
                [str(python), *args],
                cwd=run_dir,
                check=True,
                env={**env, "BENCH_DB": str(db)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        db.rename(seed_db)
    out = workdir / "hd.json"
    subprocess.run(
        [str(python), "bench_hd.py", str(out)],
        cwd=run_dir,
        check=True,
        env={**env, "BENCH_DB": str(seed_db), "REPS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return {r["name"]: r for r in json.loads(out.read_text()) if "name" in r}


def print_stats(results, hd):
    if QUICK:
        SKIPPED.append("django-helpdesk 2.6 (seeding 100,000 tickets and its slow views take minutes)")
        SKIPPED.append("statistics over 5,000,000 rows in 301 municipalities (quick: 20,000 rows in one)")
    elif hd is None:
        SKIPPED.append("django-helpdesk 2.6 (no peers harness)")
    dashboard = hd and hd.get("view GET /dashboard/")
    report = hd and hd.get("view GET /reports/queuemonth/")
    for label in ("SQLite", "PostgreSQL"):
        figures = results.get(label)
        if figures is None:
            SKIPPED.append(f"statistics on {label} (no server answered)")
            continue
        DETAILS[f"stats_{label}"] = figures
        mine, floor = figures["dashboard"], figures["floor"]
        rows = f"{figures['rows_single']:,} of {figures['rows']:,} rows"
        key = label.lower()
        emit(
            figure(
                f"stats_{key}_ms",
                f"stats, 1 municipality-year, {label}: median",
                mine["median_ms"],
                "ms",
                baseline=floor["median_ms"],
                baseline_name="raw SQL GROUP BY of the same figures",
                note=f"{rows}; {mine['queries']} queries against {floor['queries']}; "
                f"seeded in {figures['seed_seconds']} s",
            ),
        )
        for hd_key, hd_figure, what in (
            ("dashboard", dashboard, "django-helpdesk 2.6 dashboard, 100k tickets (SQLite)"),
            ("report", report, "django-helpdesk 2.6 queue x month report, 100k tickets (SQLite)"),
        ):
            if hd_figure:
                emit(
                    figure(
                        f"stats_{key}_vs_hd_{hd_key}",
                        f"stats, 1 municipality-year, {label}: median",
                        mine["median_ms"],
                        "ms",
                        baseline=hd_figure["median_ms"],
                        baseline_name=what,
                    )
                )
        network = figures["network"]
        emit(
            figure(
                f"stats_{key}_network_ms",
                f"stats, network view, all municipalities, {label}: median",
                network["median_ms"],
                "ms",
                baseline=mine["median_ms"],
                baseline_name="one municipality-year, same database",
                note=f"over {figures['rows']:,} rows",
            ),
        )
    for export in results["csv"]:
        emit(
            figure(
                f"csv_{export['rows']}_rss_mb",
                f"CSV export of {export['rows']:,} rows: peak RSS",
                export["rss_peak_mb"],
                "MB",
                baseline=export["rss_before_mb"],
                baseline_name="the same process before the export",
                note=f"{export['seconds']} s",
            ),
        )
    if results["csv"] and results["csv"][-1]["rows"] < 1_000_000:
        SKIPPED.append("the CSV export of 1,000,000 rows (quick exports what it seeded)")


def web_figures():
    url = dbs.postgres_copy("")
    if url is None:
        SKIPPED.append("the webhook and booking benchmarks under gunicorn (no PostgreSQL server answered)")
        return
    out = subprocess.run(
        [sys.executable, str(HERE / "web_bench.py"), *(["--quick"] if QUICK else [])],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    DETAILS["web"] = result["info"]
    emit(*result["figures"])
    if QUICK:
        SKIPPED.append("the webhook's sentence -> 3 slots step at max rate (full run only)")


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
    info = machine()
    print(
        f"# {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, {info['date']}, commit {info['git_commit']}"
        f"{' (--quick)' if QUICK else ''}"
    )
    print("# ratio = value / baseline, both measured in this run", flush=True)
    timings = DETAILS["seconds"] = {}
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
            SKIPPED.append(f"{name} (failed: {type(error).__name__})")
            return None
        finally:
            lap(name)

    attempt("webhook and booking under gunicorn", web_figures)  # first: the machine is coldest
    mine = attempt("slot search and booking on SQLite", ours)
    anchors = calibrate(500 if QUICK else 2000)
    DETAILS["calibration"] = anchors
    theirs = attempt("django-appointment", peer)
    if mine:
        slot_figures(mine, theirs)
    stats = attempt("statistics", stats_figures)
    hd = None if QUICK else attempt("django-helpdesk", helpdesk_peer)
    if stats:
        print_stats(stats, hd)
    elapsed = time.perf_counter() - STARTED
    for anchor in anchors:
        print(f"# machine anchor: {anchor['name']}: {anchor['median_ms']:.3f} ms")
    for what in SKIPPED:
        print(f"# not measured in this run: {what}")
    print(f"# finished in {elapsed:.0f} s ({', '.join(f'{k} {v} s' for k, v in timings.items())})")
    if not QUICK:
        info["duration_s"] = round(elapsed)
        RESULTS.write_text(
            json.dumps(
                {"machine": info, "figures": FIGURES, "skipped": SKIPPED, "details": DETAILS},
                indent=1,
                default=str,
            )
            + "\n"
        )
        print(f"# wrote {RESULTS.relative_to(ROOT)}; python bench/report.py --write puts it in the README")


if __name__ == "__main__":
    main()
