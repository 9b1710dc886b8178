"""Benchmarks: print one line per figure, with its baseline and the ratio, measured in this run.

    python bench/run.py            # full run
    python bench/run.py --quick    # fewer repetitions (a smoke run)

Slot search: a municipality with 2 digipunten, 20 volunteers and 2,000 booked appointments over a
four-week horizon, searched for the whole horizon. Baseline, in the same run and shape of data:
django-appointment 3.12 computing the same days staff member by staff member (its
get_available_slots_for_staff path), from ../shared/peers (set up on first use in
$PEERS_WORK, default /tmp/peers-work). Without the peers harness the baseline is reported missing.

SMS webhook: a signed POST /sms/inbound/ through the Django test client (the full WSGI stack,
signature check and one conversation step; each from a new number), against GET /healthz on the
same stack in the same run. The ratio shows how many minimal requests one webhook costs.

Statistics (bench/stats_bench.py, one process per database): one municipality-year dashboard
(helpdesk.stats.summary) over 100,000 help requests among 5,000,000 in 300 municipalities (--quick:
20,000 in one), against the raw-SQL floor on the same database and against django-helpdesk 2.6's
dashboard and queue x month report over 100,000 tickets; then the peak RSS of the CSV export.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(os.environ.get("PEERS_SRC", ROOT.parent / "shared" / "peers"))
PEERS_WORK = Path(os.environ.get("PEERS_WORK", "/tmp/peers-work"))
QUICK = "--quick" in sys.argv

# Our side runs on its own throw-away SQLite database.
workdir = Path(tempfile.mkdtemp(prefix="digipunt-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

django.setup()

from benchlib import calibrate, measure  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

N_VOLUNTEERS, N_APPOINTMENTS, HORIZON_DAYS = 20, 2000, 28


def seed():
    """Deterministic data shaped like the peer's seed (random seed 42)."""
    from appointments.models import Appointment
    from helpdesk.models import Citizen, Municipality, OpeningHours, Topic
    from tests.factories import DigipuntFactory, UserFactory, VolunteerFactory
    from volunteers.models import Availability

    rnd = random.Random(42)
    municipality = Municipality.objects.create(name="Benchdorp", sms_number="+32460999000")
    places = [
        DigipuntFactory(municipality=municipality, name=f"Digipunt {i}", desks=10, weekday_hours=False,
                        booking_horizon_days=HORIZON_DAYS, lead_time_minutes=0)
        for i in range(2)
    ]  # fmt: skip
    OpeningHours.objects.bulk_create(
        OpeningHours(digipunt=p, weekday=d, opens=datetime.time(9), closes=datetime.time(17))
        for p in places
        for d in range(5)
    )
    topic = Topic.objects.get(code="device_basics")  # 30 minutes, like the peer's main service
    volunteers = []
    for i in range(N_VOLUNTEERS):
        place = places[i % 2]
        volunteer = VolunteerFactory(
            user=UserFactory(username=f"bench{i:02d}"), municipality=municipality, digipunten=[place]
        )
        volunteer.is_generalist = True
        volunteer.save()
        volunteers.append((volunteer, place))
    Availability.objects.bulk_create(
        Availability(volunteer=v, digipunt=p, weekday=d, starts=datetime.time(9), ends=datetime.time(17),
                     valid_from=datetime.date(2020, 1, 1))
        for v, p in volunteers
        for d in range(5)
    )  # fmt: skip
    citizens = Citizen.objects.bulk_create(
        Citizen(municipality=municipality, phone=f"+32471{i:06d}") for i in range(500)
    )
    today = timezone.localdate()
    workdays = [today + datetime.timedelta(days=d) for d in range(1, HORIZON_DAYS + 1)]
    workdays = [d for d in workdays if d.weekday() < 5]
    zone = timezone.get_current_timezone()
    busy, rows = set(), []
    while len(rows) < N_APPOINTMENTS:
        volunteer, place = rnd.choice(volunteers)
        day, half_hour = rnd.choice(workdays), rnd.randrange(16)
        if (volunteer.pk, day, half_hour) in busy:
            continue
        busy.add((volunteer.pk, day, half_hour))
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=zone) + datetime.timedelta(
            minutes=30 * half_hour
        )
        rows.append(
            Appointment(digipunt=place, topic=topic, citizen=rnd.choice(citizens), volunteer=volunteer,
                        language="nl", channel="sms", start=start, end=start + datetime.timedelta(minutes=30),
                        code=f"B{len(rows):05d}")
        )  # fmt: skip
    Appointment.objects.bulk_create(rows)
    return municipality, places, topic


def ours():
    from appointments.slots import free_slots

    call_command("migrate", verbosity=0)
    municipality, places, topic = seed()
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
    }
    results["horizon"]["slots"] = len(found)
    return results


def webhook():
    """One signed inbound SMS through the whole stack (WSGI, signature check, conversation step),
    against a minimal Django view on the same stack in the same run."""
    import itertools
    import statistics
    import time
    from urllib.parse import urlencode

    from django.conf import settings
    from django.test import Client

    from sms.signatures import sign

    settings.SMS_INBOUND_PER_HOUR = settings.SMS_OUTBOUND_PER_DAY = 10**6
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    numbers = itertools.count(1)
    reps = 60 if QUICK else 400

    def timed(fn):
        for _ in range(5):
            fn()
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        return {"median_ms": statistics.median(samples), "p99_ms": samples[int(len(samples) * 0.99) - 1]}

    def minimal():
        assert client.get("/healthz").status_code == 200

    def step(body):
        def send():
            n = next(numbers)
            params = {
                "MessageSid": f"SM{n:032d}",
                "From": f"+32479{n:06d}",
                "To": "+32460999000",
                "Body": body,
            }
            response = client.post(
                "/sms/inbound/",
                urlencode(params),
                content_type="application/x-www-form-urlencoded",
                headers={"X-Twilio-Signature": sign("/sms/inbound/", params)},
            )
            assert response.status_code == 200
            assert b"<Message>" in response.content

        return send

    return {
        "minimal": timed(minimal),
        "menu": timed(step("AFSPRAAK")),
        "slots": timed(step("ik wil hulp met mijn belastingen")),
    }


def postgres_url() -> str | None:
    """A fresh database on the local PostgreSQL for the statistics benchmark, if one answers."""
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        with psycopg.connect(base, autocommit=True, connect_timeout=3) as admin:
            admin.execute("DROP DATABASE IF EXISTS digipunt_bench")
            admin.execute("CREATE DATABASE digipunt_bench")
    except Exception:
        return None
    return base.rsplit("/", 1)[0] + "/digipunt_bench"


def stats_figures():
    """helpdesk.stats on SQLite and PostgreSQL (one subprocess each, own database)."""
    single, network = (20_000, 0) if QUICK else (100_000, 4_900_000)
    reps = "3" if QUICK else "9"
    script = str(Path(__file__).resolve().parent / "stats_bench.py")
    results = {}
    sqlite_url = f"sqlite:///{workdir / 'stats.sqlite3'}"
    for label, url in (("SQLite", sqlite_url), ("PostgreSQL", postgres_url())):
        if url is None:
            results[label] = None
            continue
        out = subprocess.run(
            [sys.executable, script, "--single", str(single), "--network", str(network), "--reps", reps],
            env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    rows = results["SQLite"]["rows"]
    results["csv"] = []
    for limit in sorted({min(rows, 100_000), min(rows, 1_000_000)}):
        out = subprocess.run(
            [sys.executable, script, "--csv-rss", str(limit)],
            env={**os.environ, "DATABASE_URL": sqlite_url}, check=True, capture_output=True, text=True,
        )  # fmt: skip
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
            subprocess.run([str(python), *args], cwd=run_dir, check=True, env={**env, "BENCH_DB": str(db)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        db.rename(seed_db)
    out = workdir / "hd.json"
    subprocess.run(
        [str(python), "bench_hd.py", str(out)], cwd=run_dir, check=True,
        env={**env, "BENCH_DB": str(seed_db), "REPS": "0.4" if QUICK else "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return {r["name"]: r for r in json.loads(out.read_text()) if "name" in r}


def peer():
    """django-appointment: 20 staff x a month, staff member by staff member (its own seed)."""
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
            subprocess.run([str(python), *args], cwd=run_dir, check=True, env={**env, "BENCH_DB": str(db)},
                           stdout=subprocess.DEVNULL)  # fmt: skip
        db.rename(seed_db)
    run_db = run_dir / "db_run.sqlite3"
    run_db.write_bytes(seed_db.read_bytes())
    out = workdir / "appt.json"
    subprocess.run(
        [str(python), "bench_appt.py", str(out)], cwd=run_dir, check=True,
        env={**env, "BENCH_DB": str(run_db), "REPS": "0.2" if QUICK else "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    figures = {r["name"][:2]: r for r in json.loads(out.read_text()) if "name" in r}
    return figures


def line(name, value, unit, baseline=None, baseline_name=""):
    if baseline is None:
        print(f"{name:<62} {value:>10.1f} {unit}   baseline: not measured")
        return
    ratio = baseline / value if value else float("inf")
    print(f"{name:<62} {value:>10.1f} {unit}   baseline {baseline:>10.1f} {unit} ", end="")
    print(f"({baseline_name})   ratio {ratio:.1f}x")


def main():
    mine = ours()
    for anchor in calibrate(500 if QUICK else 2000):
        print(f"{anchor['name']:<62} {anchor['median_ms']:>10.3f} ms")
    theirs = peer()
    horizon, one_day = mine["horizon"], mine["one_day"]
    b1 = theirs.get("b1") if theirs else None
    a1 = theirs.get("a1") if theirs else None
    line("slots, whole municipality, 4 weeks: median", horizon["median_ms"], "ms",
         b1 and b1["median_ms"], "django-appointment, 20 staff x month, staff by staff")  # fmt: skip
    line("slots, whole municipality, 4 weeks: SQL queries", horizon["queries"], "q",
         b1 and b1["queries"], "django-appointment, same")  # fmt: skip
    line("slots, 1 digipunt, 1 day: median", one_day["median_ms"], "ms",
         a1 and a1["median_ms"], "django-appointment, 1 staff, 1 day")  # fmt: skip
    line("slots, 1 digipunt, 1 day: SQL queries", one_day["queries"], "q", a1 and a1["queries"], "same")
    print(f"({horizon['slots']} free slots found over the horizon; {N_APPOINTMENTS} appointments booked)")
    print_stats(stats_figures(), None if QUICK else helpdesk_peer())
    hook = webhook()
    floor = hook["minimal"]
    for key, label in (("menu", "first SMS -> topic menu"), ("slots", "sentence -> 3 slots (slot search)")):
        for stat in ("median_ms", "p99_ms"):
            value, base = hook[key][stat], floor[stat]
            name = f"SMS webhook, {label}: {stat[:-3]}"
            print(
                f"{name:<62} {value:>10.1f} ms   baseline {base:>10.1f} ms (minimal Django view, same stack)",
                end="",
            )
            print(f"   costs {value / base:.0f}x the minimal view")


def print_stats(results, hd):
    if hd is None:
        print("django-helpdesk: not measured in --quick (about two minutes); run the full benchmark")
    dashboard = hd and hd.get("view GET /dashboard/")
    report = hd and hd.get("view GET /reports/queuemonth/")
    for label in ("SQLite", "PostgreSQL"):
        figures = results.get(label)
        if figures is None:
            print(f"statistics on {label}: not measured (no server)")
            continue
        mine, floor = figures["dashboard"], figures["floor"]
        rows = f"{figures['rows_single']:,} in the municipality, {figures['rows']:,} in all"
        print(f"(statistics on {label}: {rows}; seeded in {figures['seed_seconds']} s)")
        name = f"stats, 1 municipality-year, {label}: median"
        times = mine["median_ms"] / floor["median_ms"]
        print(f"{name:<62} {mine['median_ms']:>10.1f} ms   floor {floor['median_ms']:>10.1f} ms "
              f"(raw SQL GROUP BY of the same figures)   {times:.2f}x the floor, "
              f"{mine['queries']} queries against {floor['queries']}")  # fmt: skip
        if dashboard:
            line(
                name,
                mine["median_ms"],
                "ms",
                dashboard["median_ms"],
                "django-helpdesk 2.6 dashboard, 100k tickets",
            )
        if report:
            line(
                name, mine["median_ms"], "ms", report["median_ms"], "django-helpdesk 2.6 queue x month report"
            )
        network = figures["network"]
        name = f"stats, network view, 300 municipalities, {label}: median"
        print(f"{name:<62} {network['median_ms']:>10.1f} ms")
    for export in results["csv"]:
        name = f"CSV export of {export['rows']:,} rows: peak RSS"
        before, seconds = export["rss_before_mb"], export["seconds"]
        print(f"{name:<62} {export['rss_peak_mb']:>10.0f} MB   (before the export: {before} MB; {seconds} s)")


if __name__ == "__main__":
    main()
