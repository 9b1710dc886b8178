"""The database settings config/settings.py derives from the environment (read in a fresh
interpreter: settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://u:p@127.0.0.1:5432/digipunt"


def options(**env) -> dict:
    code = "from config import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_PREPARED_STATEMENTS"}
    result = subprocess.run(
        [sys.executable, "-c", f"import json; {code}"],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_and_prepares_hot_statements():
    got = options(DATABASE_URL=POSTGRES)
    assert got["server_side_binding"] is True
    assert got["prepare_threshold"] == 5


@pytest.mark.parametrize("value", ["0", "false"])
def test_prepared_statements_can_be_turned_off_for_a_pooler(value):
    got = options(DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS=value)
    assert "server_side_binding" not in got
    assert "prepare_threshold" not in got
    assert got["connect_timeout"] == 5


def test_sqlite_has_no_such_options():
    got = options(DATABASE_URL="sqlite:////tmp/digipunt-settings-test.sqlite3")
    assert "prepare_threshold" not in got
