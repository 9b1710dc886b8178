"""Statistics benchmark, one database per process (run by bench/run.py, or alone):

    DATABASE_URL=sqlite:////tmp/s.sqlite3 python bench/stats_bench.py --single 100000 --network 5000000
    DATABASE_URL=... python bench/stats_bench.py --csv-rss 1000000   # export rows, print peak RSS

Seeds (bulk inserts) one municipality with --single help requests over a year, and 300 others
sharing --network more; then times one municipality-year dashboard (help_requests.stats.summary)
against the floor (the same figures as raw SQL GROUP BY queries on the same database) and the
network view over all municipalities. Prints one JSON object.
"""

import argparse
import datetime
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from benchlib import measure  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
CHUNK = 200_000
CODES = ["banking", "taxes", "school", "health", "eid", "government", "benefits_work", "housing_energy",
         "mobility", "communication", "device_basics", "online_safety", "other"]  # fmt: skip


def insert(table: str, columns: list[str], rows) -> None:
    """Bulk insert plain tuples: COPY on PostgreSQL, executemany on SQLite (no model objects)."""
    if connection.vendor == "postgresql":
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)


def seed(single: int, network: int) -> int:
    from django.db import transaction

    from help_requests.models import HelpRequest
    from helpdesk.models import Digipunt, Municipality, Topic

    call_command("migrate", verbosity=0)
    if Municipality.objects.filter(name="Benchstad").exists():
        return Municipality.objects.get(name="Benchstad").pk
    rnd = random.Random(42)
    topics = list(Topic.objects.filter(code__in=CODES).order_by("code").values_list("pk", flat=True))
    main = Municipality.objects.create(name="Benchstad", population=80000)
    others = Municipality.objects.bulk_create(
        Municipality(name=f"Gemeente {i:03d}", population=rnd.randint(3000, 90000)) for i in range(300)
    )
    places = {}
    for municipality in [main, *others]:
        places[municipality.pk] = [
            Digipunt.objects.create(municipality=municipality, name=f"Digipunt {i}", street="Markt 1",
                                    postal_code="9000", city="Gent").pk
            for i in range(2 if municipality is main else 1)
        ]  # fmt: skip
    days = [YEAR[0] + datetime.timedelta(days=d) for d in range(365)]
    days = [(d, HelpRequest.buckets(d)) for d in days if d.weekday() < 5]
    outcomes = ["solved", "partly_solved", "not_solved", "referred", "follow_up"]
    channels = ["sms", "phone", "counter", "web", "api"]
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    hours = [9, 10, 11, 13, 14, 15, 16]
    columns = ["id", "municipality_id", "digipunt_id", "date", "hour", "month", "iso_week", "weekday",
               "channel", "duration_minutes", "outcome", "self_reliant", "first_visit", "referred_to",
               "follow_up_on", "note", "created_at", "age_band", "referral_confirmed_at"]  # fmt: skip
    pk = 0
    for municipality_ids, n in (([main.pk], single), ([m.pk for m in others], network)):
        for start in range(0, n, CHUNK):
            requests, links = [], []
            for i in range(start, min(n, start + CHUNK)):
                pk += 1
                municipality_id = municipality_ids[i % len(municipality_ids)]
                day, buckets = days[rnd.randrange(len(days))]
                outcome = rnd.choices(outcomes, [60, 18, 7, 8, 7])[0]
                referred = outcome == "referred"
                picked = {rnd.choice(topics)}
                if rnd.random() < 0.15:
                    picked.add(rnd.choice(topics))
                links.extend((pk, topic, municipality_id, day, buckets["month"]) for topic in picked)
                requests.append((
                    pk, municipality_id, rnd.choice(places[municipality_id]), day, rnd.choice(hours),
                    buckets["month"], buckets["iso_week"], buckets["weekday"], rnd.choice(channels),
                    rnd.randint(10, 90), outcome, rnd.random() < 0.3, rnd.choice([True, False, None]),
                    "ocmw" if referred else "", day + datetime.timedelta(days=14) if referred else None,
                    "", now, "", None,
                ))  # fmt: skip
            with transaction.atomic():
                insert("help_requests_helprequest", columns, requests)
                insert(
                    "help_requests_helprequesttopic",
                    ["help_request_id", "topic_id", "municipality_id", "date", "month"],
                    links,
                )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('help_requests_helprequest', 'id'), %s)", [pk + 1]
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return main.pk


def floor_queries(municipality_id: int):
    """The same figures as summary() computes from help requests, as plain SQL on a cursor: the
    same GROUP BYs (the figures cube, time of day, topics, the previous period's total)."""
    first, last = YEAR
    previous = (first - datetime.timedelta(days=365), first - datetime.timedelta(days=1))
    by_month = "municipality_id = %s AND month BETWEEN %s AND %s AND date BETWEEN %s AND %s"
    month_args = [municipality_id, first.replace(day=1), last.replace(day=1), first, last]
    weeks = [
        first.isocalendar()[0] * 100 + first.isocalendar()[1],
        last.isocalendar()[0] * 100 + last.isocalendar()[1],
    ]
    by_week = "municipality_id = %s AND iso_week BETWEEN %s AND %s AND date BETWEEN %s AND %s"
    yes = "TRUE" if connection.vendor == "postgresql" else "1"
    no = "FALSE" if connection.vendor == "postgresql" else "0"
    statements = [
        (
            "SELECT month, digipunt_id, channel, outcome, referred_to, COUNT(*), SUM(duration_minutes), "
            "SUM(CASE WHEN self_reliant THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN first_visit = {yes} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN first_visit = {no} THEN 1 ELSE 0 END), COUNT(referral_confirmed_at), "
            "SUM(CASE WHEN referral_confirmed_at IS NULL AND follow_up_on < %s THEN 1 ELSE 0 END) "
            f"FROM help_requests_helprequest WHERE {by_month} "
            "GROUP BY month, digipunt_id, channel, outcome, referred_to",
            [datetime.date.today(), *month_args],
        ),
        (f"SELECT iso_week, weekday, hour, COUNT(*) FROM help_requests_helprequest WHERE {by_week} "
         "GROUP BY iso_week, weekday, hour", [municipality_id, *weeks, first, last]),
        (f"SELECT month, topic_id, COUNT(*) FROM help_requests_helprequesttopic WHERE {by_month} "
         "GROUP BY month, topic_id", month_args),
        (f"SELECT COUNT(*) FROM help_requests_helprequest WHERE {by_month}",
         [municipality_id, previous[0].replace(day=1), previous[1].replace(day=1), *previous]),
    ]  # fmt: skip

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--single", type=int, default=100_000)
    parser.add_argument("--network", type=int, default=0)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--csv-rss", type=int, default=0, metavar="ROWS", help="export this many rows")
    args = parser.parse_args()
    if args.csv_rss:
        return csv_rss(args.csv_rss)
    from help_requests import network, stats

    started = time.perf_counter()
    municipality_id = seed(args.single, args.network)
    seeded = time.perf_counter() - started
    from help_requests.models import HelpRequest

    period = stats.Period(*YEAR)
    result = {
        "vendor": connection.vendor,
        "rows": HelpRequest.objects.count(),
        "rows_single": HelpRequest.objects.filter(municipality_id=municipality_id).count(),
        "seed_seconds": round(seeded, 1),
        "dashboard": measure(
            "stats.summary, one municipality-year",
            lambda: stats.summary([municipality_id], period),
            args.reps,
            2,
        ),
        "floor": measure("raw SQL GROUP BY, same figures", floor_queries(municipality_id), args.reps, 2),
        "network": measure(
            "stats.network, all municipalities", lambda: network.network(period, 5), max(3, args.reps // 3), 1
        ),
    }  # fmt: skip
    print(json.dumps(result))


def csv_rss(limit: int):
    """Export `limit` help requests as CSV to nowhere; report peak RSS before and after."""
    from help_requests import exports
    from help_requests.models import HelpRequest

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    last = HelpRequest.objects.order_by("pk").values_list("pk", flat=True)[limit - 1]
    queryset = HelpRequest.objects.filter(pk__lte=last)
    rows = 0
    started = time.perf_counter()
    for _line in exports.csv_stream(exports.help_request_header(), exports.help_request_rows(queryset)):
        rows += 1
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = round(time.perf_counter() - started, 1)
    print(
        json.dumps(
            {
                "rows": rows - 1,
                "rss_before_mb": before // 1024,
                "rss_peak_mb": after // 1024,
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
