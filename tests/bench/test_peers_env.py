"""The peers' processes get the environment as it was when bench/run.py started, without this
project's configuration (bench/peers.py imports no Django and needs no database)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from peers import NOT_SET, Peers, child_env


def test_the_projects_configuration_stays_out():
    start = {
        "HOME": "/home/dev",
        "LANG": "C.UTF-8",
        "PATH": "/work/app/.venv/bin:/usr/bin",
        "VIRTUAL_ENV": "/work/app/.venv",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "postgres://x/y",
        "PYTHONPATH": "/work/app",
        "BENCH_POSTGRES_URL": "postgres://x/z",
        "BENCH_WORKDIR": "/tmp/w",
        "PEERS_WORK": "/tmp/p",
    }
    assert child_env(start) == {
        "HOME": "/home/dev",
        "LANG": "C.UTF-8",
        "PATH": "/usr/bin",
        "PEERS_WORK": "/tmp/p",
    }


class Session:
    def __init__(self, workdir):
        self.workdir, self.lines, self.skipped = workdir, [], []

    def say(self, text):
        self.lines.append(text)

    def skip(self, what):
        self.skipped.append(what)


def test_without_peers_src_each_comparison_says_not_measured(tmp_path):
    session = Session(tmp_path)
    peers = Peers({"HOME": "/home/dev"}, session)
    assert peers.appointment(quick=True) is None
    assert peers.helpdesk() is None
    assert session.lines == [
        f"django-appointment: not measured ({NOT_SET})",
        f"django-helpdesk: not measured ({NOT_SET})",
    ]


def test_a_peers_src_without_setup_sh_is_not_used(tmp_path):
    session = Session(tmp_path)
    assert Peers({"PEERS_SRC": str(tmp_path)}, session).appointment(quick=True) is None
    assert session.lines == [
        f"django-appointment: not measured (no setup.sh in PEERS_SRC={tmp_path}; {NOT_SET})"
    ]
