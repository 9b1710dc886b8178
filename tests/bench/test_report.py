"""The benchmark table of docs/benchmarks.md is rendered from bench/results.json (no database needed)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from figures import figure
from report import END, START, render, replace_between

MACHINE = {
    "date": "2026-11-27 05:00 UTC",
    "git_commit": "abc1234",
    "duration_s": 900,
    "cpu": "Test CPU",
    "cores": 2,
    "ram_gb": 4.0,
    "os": "Linux",
    "python": "3.13.0",
    "django": "6.1.3",
    "postgresql": "15.20",
}


def test_a_figure_becomes_a_row_with_its_baseline_and_ratio():
    results = {
        "machine": MACHINE,
        "figures": [
            figure(
                "rps",
                "webhook | max rate",
                300.0,
                "req/s",
                baseline=1200.0,
                baseline_name="healthz",
                better="higher",
            ),
            figure("ms", "slots", 10.0, "ms", baseline=250.0, baseline_name="peer"),
        ],
        "skipped": ["django-helpdesk"],
    }
    table = render(results)
    assert "Test CPU, 2 cores, 4.0 GB RAM" in table
    row = "| webhook \\| max rate | 300 req/s | 1,200 req/s (healthz) | 0.25 (25.0% of the baseline) |"
    assert row in table
    assert "| slots | 10.0 ms | 250.0 ms (peer) | 0.04 (25.0x less) |" in table
    assert "Not measured in that run: django-helpdesk." in table


def test_only_the_part_between_the_markers_is_replaced():
    text = f"# Title\n\nbefore\n{START}\nold table\n{END}\nafter\n"
    assert replace_between(text, "new\n") == f"# Title\n\nbefore\n{START}\nnew\n{END}\nafter\n"


def test_a_baseline_may_count_something_else():
    row = figure("api", "booking via API", 12.0, "bookings/s", baseline=1500.0, baseline_unit="req/s",
                 baseline_name="GET /healthz", better="higher")  # fmt: skip
    assert "| 1,500 req/s (GET /healthz) |" in render({"machine": MACHINE, "figures": [row]})
