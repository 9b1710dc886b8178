"""The peers, optional: django-appointment 3.12 and django-helpdesk 2.6, measured by the peer
harness (an external directory with setup.sh, named by the environment variable PEERS_SRC; it
copies itself into PEERS_WORK, default /tmp/peers-work, with one virtualenv per peer).

Without PEERS_SRC (or without a setup.sh there) each comparison prints one line saying it was not
measured, and the run goes on. The peers' processes get the environment as it was when
bench/run.py started, minus what configures this project (DJANGO_SETTINGS_MODULE, DATABASE_URL,
BENCH_*, PYTHONPATH, our virtualenv): nothing this run set for itself reaches them.
"""

import json
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_SET = "set PEERS_SRC to the peer harness"
PRIVATE = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}


def child_env(start_env: dict[str, str]) -> dict[str, str]:
    """`start_env` (os.environ before this run changed it) without this project's configuration."""
    env = {k: v for k, v in start_env.items() if k not in PRIVATE and not k.startswith("BENCH_")}
    venv = start_env.get("VIRTUAL_ENV")
    if venv and "PATH" in env:  # an activated virtualenv of ours: its python3 is not the peers'
        bin_dir = str(Path(venv) / "bin")
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != bin_dir)
    return env


class Peers:
    def __init__(self, start_env: dict[str, str], session):
        source = start_env.get("PEERS_SRC")
        self.src = Path(source) if source else None
        self.work = Path(start_env.get("PEERS_WORK") or "/tmp/peers-work")
        self.env = child_env(start_env)
        self.session = session
        self.workdir = session.workdir
        self._ready = False

    def missing(self) -> str | None:
        """Why the peers cannot run, or None."""
        if self.src is None:
            return NOT_SET
        if not (self.src / "setup.sh").is_file():
            return f"no setup.sh in PEERS_SRC={self.src}; {NOT_SET}"
        return None

    def not_measured(self, peer: str, why: str) -> None:
        """One line now, and the same at the end of the run and in results.json."""
        self.session.say(f"{peer}: not measured ({why})")
        self.session.skip(f"{peer} ({why})")

    def _run(self, command, *, cwd=None, db=None, **env):
        extra = {"BENCH_DB": str(db)} if db else {}
        return subprocess.run(
            [str(c) for c in command],
            cwd=cwd,
            check=True,
            env={**self.env, **extra, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _setup(self) -> None:
        """Run the harness's setup.sh once per machine (it is slow: virtualenvs and pip)."""
        if self._ready:
            return
        ready = all((self.work / f"venv-{v}" / "bin" / "python").exists() for v in ("appt", "hd"))
        if not ready or not (self.work / "appt" / "appt_migrations").is_dir():
            self.session.say(f"setting up the peer harness from {self.src} in {self.work} (once, minutes)")
            self._run(["bash", self.src / "setup.sh"], PEERS_WORK=str(self.work))
        self._ready = True

    def _seeded(self, peer: str, script: str) -> Path:
        """The peer's migrated and seeded SQLite database, made once and kept in PEERS_WORK."""
        run_dir, python = self.work / peer, self.work / f"venv-{peer}" / "bin" / "python"
        seed_db = run_dir / "db_seed.sqlite3"
        if not seed_db.exists():
            db = run_dir / "db.sqlite3"
            db.unlink(missing_ok=True)
            for args in (["manage.py", "migrate", "-v0"], [script]):
                self._run([python, *args], cwd=run_dir, db=db)
            db.rename(seed_db)
        return seed_db

    def appointment(self, quick: bool) -> dict | None:
        """django-appointment on its own seeded SQLite database (seeded once, copied per run):
        bench/peer_appt.py in the peer's virtualenv. None when not measured."""
        why = self.missing()
        if why:
            self.not_measured("django-appointment", why)
            return None
        self._setup()
        seed_db = self._seeded("appt", "seed_appt.py")
        run_db = self.workdir / "appt.sqlite3"
        run_db.write_bytes(seed_db.read_bytes())
        out = self.workdir / "appt.json"
        python = self.work / "venv-appt" / "bin" / "python"
        factor = "0.1" if quick else "1"
        self._run([python, HERE / "peer_appt.py", out, factor], cwd=self.work / "appt", db=run_db)
        return {r["name"][:2]: r for r in json.loads(out.read_text())}

    def helpdesk(self) -> dict | None:
        """django-helpdesk 2.6 over 100,000 tickets: its dashboard and a report (seeded once)."""
        why = self.missing()
        if why:
            self.not_measured("django-helpdesk", why)
            return None
        self._setup()
        seed_db = self._seeded("hd", "seed_hd.py")
        out = self.workdir / "hd.json"
        python = self.work / "venv-hd" / "bin" / "python"
        self._run([python, "bench_hd.py", out], cwd=self.work / "hd", db=seed_db, REPS="1")
        return {r["name"]: r for r in json.loads(out.read_text()) if "name" in r}
