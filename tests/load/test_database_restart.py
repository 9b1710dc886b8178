"""PostgreSQL restarting under load: answers stay clean (a 503 with Retry-After while it is
away, never a 500), nothing is half-written, and a retry afterwards completes the work.

The shared PostgreSQL must keep running for everyone else, so this test restarts a private
cluster (initdb as the `postgres` user, on a free port) holding a copy of the test database.
"""

import contextlib
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from helpdesk.models import Role
from tests.factories import DigipuntFactory, MunicipalityFactory, bookable_volunteer, member
from tests.load.conftest import ACCOUNT_SID, app_env, free_port, post_sms, start_web, twiml_text, wait_for

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SMS_NUMBER = "+32460333333"
DESKS = 2


class PrivatePostgres:
    """A throwaway PostgreSQL cluster of the same version as the shared one, on a free port."""

    def __init__(self):
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="digipunt-load-pg-"))
        self.port = free_port()
        os.chmod(self.dir, 0o755)
        # PostgreSQL refuses to run as root: run it as the postgres user then.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args):
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True, timeout=60)

    def init(self):
        data = self.dir / "data"
        self._run(self.bin / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            self.bin / "pg_ctl", "-D", self.dir / "data", "-o", options, "-l", self.dir / "log", "-w", "start"
        )

    def stop(self, mode="fast"):
        self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, source: dict, name: str):
        """The test database (schema, migrations, the rows the test made) into this cluster."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
        source_args = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)]
        dump = subprocess.run(
            [self.bin / "pg_dump", *source_args, "-U", source["USER"], "--no-owner", source["NAME"]],
            check=True,
            capture_output=True,
            env=env,
            timeout=60,
        )
        subprocess.run(
            [self.bin / "psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres(transactional_db):
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        message = "PostgreSQL's initdb (postgresql server package) is needed to restart a private cluster"
        if os.environ.get("REQUIRE_LOAD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    cluster = PrivatePostgres().init()
    cluster.start()
    yield cluster
    cluster.destroy()


class Client:
    """Clients that keep going until told to stop: API bookings and first SMS, each remembered
    with every answer it got, so that 503s can be retried and the outcome checked."""

    def __init__(self, url: str, token: str, digipunt_id: int, starts: list[str]):
        self.url, self.digipunt_id, self.starts = url, digipunt_id, starts
        self.headers = {"Authorization": f"Token {token}"}
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.operations: list[dict] = []

    def booking(self, number: int) -> dict:
        payload = {
            "digipunt": self.digipunt_id,
            "topic": "taxes",
            "start": self.starts[number % len(self.starts)],
            "language": "nl",
            "channel": "api",
            "citizen": {"phone": f"+32475{number:06d}"},
        }
        return {"kind": "booking", "payload": payload, "answers": []}

    def sms(self, number: int) -> dict:
        params = {"MessageSid": f"SMrestart{number:06d}", "AccountSid": ACCOUNT_SID, "To": SMS_NUMBER}
        return {
            "kind": "sms",
            "payload": {**params, "From": f"+32476{number:06d}", "Body": "afspraak"},
            "answers": [],
        }

    def send(self, operation: dict) -> tuple[int, object]:
        session = requests.Session()
        if operation["kind"] == "booking":
            response = session.post(
                self.url + "/api/v1/appointments/",
                json=operation["payload"],
                headers=self.headers,
                timeout=30,
            )
            answer = response.json() if response.status_code in {201, 409, 503} else response.text
        else:
            response = post_sms(session, self.url, operation["payload"])
            answer = twiml_text(response) if response.status_code == 200 else response.text
        operation["answers"].append((response.status_code, answer))
        if response.status_code == 503:
            assert response.headers["Retry-After"]
            time.sleep(0.2)  # a client backs off (far less than Retry-After, to keep the test short)
        return response.status_code, answer

    def run(self):
        while not self.done.is_set():
            with self.lock:
                number = next(self.numbers)
            operation = self.booking(number) if number % 2 else self.sms(number)
            with self.lock:
                self.operations.append(operation)
            self.send(operation)

    def count(self) -> int:
        with self.lock:
            return sum(1 for operation in self.operations if operation["answers"])


def test_postgresql_restart_during_load_gives_clean_503s_and_no_half_written_work(
    private_postgres, log_dir, processes, taxonomy
):
    municipality = MunicipalityFactory(name="Herstartdorp", sms_number=SMS_NUMBER)
    digipunt = DigipuntFactory(municipality=municipality, desks=DESKS)
    for _ in range(3):
        bookable_volunteer(municipality, [digipunt], generalist=True)
    token = Token.objects.create(user=member(Role.STAFF, municipality, "restarter")).key
    private_postgres.copy_database(connection.settings_dict, "digipunt_load")
    web, url = start_web(app_env(private_postgres.url("digipunt_load")), log_dir)
    processes.append(web)
    slots = requests.get(
        url + "/api/v1/slots/",
        params={"digipunt": digipunt.pk, "topic": "taxes"},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    ).json()
    client = Client(url, token, digipunt.pk, [slot["start"] for slot in slots[:10]])

    with ThreadPoolExecutor(6) as pool:
        runners = [pool.submit(client.run) for _ in range(6)]
        wait_for(lambda: client.count() >= 20, 60, "load before the restart")
        private_postgres.stop()
        # While it is away, every kind of request gets a clean 503 (asked here, so that it is
        # certain to be asked while the database is down, whatever the timing of the others).
        probes = [client.booking(10**5), client.sms(10**5 + 1)]
        for probe in probes:
            assert client.send(probe)[0] == 503
        assert requests.get(url + "/healthz", timeout=10).status_code == 503
        private_postgres.start()
        after = client.count()
        wait_for(lambda: client.count() >= after + 20, 60, "load after the restart")
        client.done.set()
        for runner in runners:
            runner.result()

    operations = client.operations + probes
    first = Counter(operation["answers"][0][0] for operation in operations)
    assert set(first) <= {200, 201, 409, 503}, first
    # Clients try again what got a 503 (Twilio's retry, an API client's): now it goes through.
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(client.send, [op for op in operations if op["answers"][-1][0] == 503]))
    final = Counter(operation["answers"][-1][0] for operation in operations)
    assert set(final) <= {200, 201, 409}, final
    assert final[201] > 0
    assert final[200] > 0

    with psycopg.connect(private_postgres.url("digipunt_load")) as db:
        rows = db.execute("SELECT message_sid, reply FROM sms_inboundmessage").fetchall()
        replies = dict(rows)
        appointments = db.execute(
            """SELECT a.id, c.phone, a.start,
                      (SELECT count(*) FROM appointments_appointmentevent e
                        WHERE e.appointment_id = a.id AND e.action = 'booked'),
                      (SELECT count(*) FROM sms_outboundmessage o
                        WHERE o.appointment_id = a.id AND o.kind = 'confirmation')
               FROM appointments_appointment a JOIN helpdesk_citizen c ON c.id = a.citizen_id
               WHERE a.status = 'booked'"""
        ).fetchall()

    # Every SMS stored once, with the answer its sender finally got.
    sms = [operation for operation in operations if operation["kind"] == "sms"]
    assert len(rows) == len(replies) == len(sms)
    for operation in sms:
        assert replies[operation["payload"]["MessageSid"]] == operation["answers"][-1][1]
    # Every booking whole: its event and its confirmation, written with it or not at all.
    assert all(events == 1 and confirmations == 1 for *_, events, confirmations in appointments)
    assert max(Counter(start for _id, _phone, start, *_ in appointments).values()) <= DESKS
    # Every 201 is in the database; a booking without a 201 is only one whose answer was lost
    # after its commit (a 503 then; its retry said 409, as the citizen has that time already).
    bookings = [operation for operation in operations if operation["kind"] == "booking"]
    created = {op["answers"][-1][1]["id"] for op in bookings if op["answers"][-1][0] == 201}
    assert created <= {row[0] for row in appointments}
    retried = {op["payload"]["citizen"]["phone"] for op in bookings if op["answers"][0][0] == 503}
    unanswered = {phone for id_, phone, *_ in appointments if id_ not in created}
    assert unanswered <= retried
    assert len({phone for _id, phone, *_ in appointments}) == len(appointments)
