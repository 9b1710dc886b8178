"""Throw-away benchmark databases, migrated once and then copied (no Django import here).

A migrated SQLite file and a migrated PostgreSQL template database are kept, keyed by a digest of
the migration files and the Django version; each run copies them (a file copy, or
CREATE DATABASE ... TEMPLATE), so no run pays for `migrate` on a fresh database twice.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/digipunt-bench-cache"))
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/digipunt_bench")
# Never the CI or development databases.
FORBIDDEN = {"digipunt", "digipunt_ci", "postgres", "template0", "template1"}


def migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    import django

    digest.update(django.get_version().encode())
    return digest.hexdigest()[:16]


def _migrate(database_url: str) -> None:
    # The project's own settings: the caller may have set the bench's, not importable from here.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True, env=env
    )


def sqlite_copy(target: Path) -> str:
    """A migrated SQLite database at `target`; returns its DATABASE_URL."""
    CACHE.mkdir(parents=True, exist_ok=True)
    template = CACHE / f"migrated-{migrations_digest()}.sqlite3"
    if not template.exists():
        partial = template.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _migrate(f"sqlite:///{partial}")
        partial.rename(template)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _split(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base, name.split("?", 1)[0]


def postgres_admin():
    """An autocommit connection to the server's `postgres` database, or None when none answers."""
    import psycopg

    base, _ = _split(POSTGRES_URL)
    try:
        return psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except Exception:
        return None


def postgres_copy(suffix: str = "") -> str | None:
    """A fresh, migrated copy of the bench database (name from BENCH_POSTGRES_URL plus `suffix`),
    made from a template database migrated once; None when no PostgreSQL server answers."""
    base, name = _split(POSTGRES_URL)
    name += suffix
    if name in FORBIDDEN:
        raise SystemExit(f"refusing to use the database {name!r} for benchmarks")
    admin = postgres_admin()
    if admin is None:
        return None
    digest = migrations_digest()
    template = f"{_split(POSTGRES_URL)[1]}_template"
    with admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if row is None or row[0] != digest:
            admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}"')
            _migrate(f"{base}/{template}")
            admin.execute(f"COMMENT ON DATABASE \"{template}\" IS '{digest}'")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{base}/{name}"


def drop_postgres(url: str) -> None:
    """Drop a copy made by postgres_copy once measured: 5,000,000 statistics rows left behind
    keep autovacuum busy on these two cores well into the next run."""
    admin = postgres_admin()
    if admin is None:
        return
    _base, name = _split(url)
    if name in FORBIDDEN:
        raise SystemExit(f"refusing to drop the database {name!r}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_version() -> str | None:
    admin = postgres_admin()
    if admin is None:
        return None
    with admin:
        return admin.execute("SHOW server_version").fetchone()[0]
