"""Statistics and the CSV export (bench/stats_bench.py, one subprocess per database), with the
raw-SQL floor as baseline and, in a full run with the peer harness, django-helpdesk 2.6."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dbs
from figures import figure

HERE = Path(__file__).resolve().parent


def measure_stats(quick: bool, workdir: Path) -> dict:
    """help_requests.stats on SQLite and PostgreSQL (one subprocess each, own database)."""
    single, network = (20_000, 0) if quick else (100_000, 4_900_000)
    reps = "3" if quick else "9"
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
        if label == "PostgreSQL":
            dbs.drop_postgres(url)
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


def stats_figures(session, results: dict, hd: dict | None) -> None:
    """Emit the statistics and CSV figures; `hd` is django-helpdesk's (None when not measured)."""
    if session.quick:
        session.skip("statistics over 5,000,000 rows in 301 municipalities (quick: 20,000 rows in one)")
    dashboard = hd and hd.get("view GET /dashboard/")
    report = hd and hd.get("view GET /reports/queuemonth/")
    for label in ("SQLite", "PostgreSQL"):
        figures = results.get(label)
        if figures is None:
            session.skip(f"statistics on {label} (no server answered)")
            continue
        session.details[f"stats_{label}"] = figures
        mine, floor = figures["dashboard"], figures["floor"]
        rows = f"{figures['rows_single']:,} of {figures['rows']:,} rows"
        key = label.lower()
        session.emit(
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
                session.emit(
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
        session.emit(
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
        session.emit(
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
        session.skip("the CSV export of 1,000,000 rows (quick exports what it seeded)")
