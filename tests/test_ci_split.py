"""CI (.ci/run) splits the suite by marker: the browser tests run on PostgreSQL only and the load
tests one at a time after the rest. A test in tests/e2e or tests/load without its marker would
run in the wrong place or not at all, so their conftest.py adds it; this checks that it holds."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]


def test_every_browser_and_load_test_is_left_out_of_the_other_runs():
    rest = subprocess.run(
        [*PYTEST, "--collect-only", "-q", "-m", "not browser and not load", "tests/e2e", "tests/load"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Exit 5 is pytest's "no tests collected": all of them were deselected, none left over.
    assert rest.returncode == 5, rest.stdout + rest.stderr
    assert " deselected" in rest.stdout
