"""The production smoke test's processes (scripts/smoke_production.py runs them): each documented
command in its own process group with its log, the manage.py steps, and waiting for a condition
while watching that the processes still run. Standard library only."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from smoke_common import ROOT, SmokeFailure, say


class Process:
    """A documented command in its own process group (its children, such as prefork workers or
    the embedded beat, go with it), its output in a log file that a failure shows."""

    started: list["Process"] = []  # not stopped yet

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        Process.started.append(self)
        Process.record()

    @staticmethod
    def record():
        """The process groups not stopped yet, for the shell script's trap to kill should this
        checker itself be killed (only these: a stopped group's number may be reused)."""
        pgid_file = os.environ.get("SMOKE_PGID_FILE")
        if pgid_file:
            Path(pgid_file).write_text("".join(f"{process.popen.pid}\n" for process in Process.started))

    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def require_running(self):
        if not self.running():
            lines = [line for line in self.output().splitlines() if line.strip()]
            last = f": {lines[-1].strip()}" if lines else ""
            raise SmokeFailure(f"{self.name} exited with {self.popen.returncode}{last}")

    def stop(self, timeout: float = 20):
        """SIGTERM (a graceful stop: beat releases its lock, the worker finishes its task), then
        SIGKILL to whatever of the group is left."""
        if self.running():
            self.signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                say(f"{self.name} did not stop within {timeout}s: killed")
        self.signal(signal.SIGKILL)
        self.popen.wait(5)
        self.log.close()
        Process.started.remove(self)
        Process.record()

    def signal(self, number):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, number)


def wait_for(condition, timeout: float, what: str, watch: list[Process] = (), interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        for process in watch:
            process.require_running()
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def manage(venv: Path, env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def gunicorn_args(venv: Path, port: int) -> list[str]:
    # docs/deployment.md, section 4 (deploy/systemd/digipunt-web.service), on a port of our own.
    return [
        str(venv / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "3", "--worker-class", "gthread", "--threads", "4",
        "--timeout", "30", "--graceful-timeout", "30",
        "--max-requests", "2000", "--max-requests-jitter", "200",
    ]  # fmt: skip


def celery(venv: Path, *args: str) -> list[str]:
    return [str(venv / "bin" / "celery"), "-A", "config", *args]


def worker_ready(worker: Process) -> bool:
    return " ready." in worker.output()
