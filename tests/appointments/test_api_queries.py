"""What the API's hot calls cost in statements once the caller and the week are cached: the slot
search reads only the appointments, and the booking POST nothing about the caller, the digipunt
or the topic beyond the booking function's own locks."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from privacy.models import AuditEvent
from tests.factories import DigipuntFactory

pytestmark = pytest.mark.django_db

CALLER_TABLES = {"authtoken_token", "auth_user", "helpdesk_membership", "helpdesk_membership_digipunten"}
FROM = re.compile(r'\bFROM "(\w+)"')


@pytest.fixture(autouse=True)
def _one_process(settings):
    settings.CACHE_IN_ONE_PROCESS = True  # the tests: one process, local memory


@pytest.fixture
def caller(staff_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_a).key}")
    return client


def slots(client, digipunt):
    query = {"digipunt": digipunt.pk, "topic": "taxes", "from": "2026-11-30", "to": "2026-11-30"}
    response = client.get("/api/v1/slots/", query)
    assert response.status_code == 200
    return response.json()


def test_a_slot_search_for_one_digipunt_and_day_is_one_statement(caller, vera, digipunt_a):
    assert slots(caller, digipunt_a)  # builds the cached caller and week
    with CaptureQueriesContext(connection) as queries:
        assert slots(caller, digipunt_a)
    assert len(queries.captured_queries) == 1, [q["sql"][:80] for q in queries.captured_queries]
    assert '"appointments_appointment"' in queries.captured_queries[0]["sql"]


def test_a_slot_search_at_all_the_callers_digipunten_is_one_statement(caller, vera, digipunt_a):
    DigipuntFactory(municipality=digipunt_a.municipality, name="Gesloten", is_active=False)
    query = {"topic": "taxes", "from": "2026-11-30", "to": "2026-11-30"}
    expected = caller.get("/api/v1/slots/", query).json()
    assert expected
    assert {s["digipunt"] for s in expected} == {digipunt_a.pk}  # not the inactive one
    with CaptureQueriesContext(connection) as queries:
        assert caller.get("/api/v1/slots/", query).json() == expected
    assert len(queries.captured_queries) == 1, [q["sql"][:80] for q in queries.captured_queries]


def booking(digipunt, start, phone):
    return {
        "digipunt": digipunt.pk,
        "topic": "taxes",
        "start": start,
        "language": "nl",
        "channel": "phone",
        "citizen": {"phone": phone},
    }


def test_a_booking_post_reads_nothing_about_the_caller(caller, vera, digipunt_a):
    first = caller.post(
        "/api/v1/appointments/", booking(digipunt_a, "2026-11-30T09:00:00+01:00", "0470000001"), format="json"
    )
    assert first.status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = caller.post(
            "/api/v1/appointments/",
            booking(digipunt_a, "2026-11-30T10:00:00+01:00", "0470000002"),
            format="json",
        )
    assert response.status_code == 201, response.json()
    statements = [q["sql"] for q in queries.captured_queries]
    # Each read's table, leaving out the lock helper's (helpdesk/locks.py: it selects only the pk).
    read = {
        FROM.search(s).group(1)
        for s in statements
        if s.startswith("SELECT") and FROM.search(s) and '"id" AS "pk" FROM' not in s
    }
    assert not CALLER_TABLES & read
    assert "helpdesk_topic" not in read
    assert "helpdesk_digipunt" not in read  # only locked by book(), never looked up
    # The citizen's first contact (helpdesk/citizen_contact.py: its read, the remembered opt-out
    # and its INSERT, in one statement on PostgreSQL; its audit entry rides in the booking's own
    # statement), the booking function (7 statements on PostgreSQL, issue #14; SQLite writes its
    # rows one by one) and, inside a test's transaction, the savepoints of the view's and the
    # booking's atomic blocks (4). Before the caller was cached and the citizen made without
    # get_or_create: 25 on PostgreSQL.
    assert len(statements) <= (12 if connection.vendor == "postgresql" else 21), statements
    made = response.json()["citizen"]["id"]
    assert AuditEvent.objects.filter(subject="citizen", action="create", subject_id=made).count() == 1
