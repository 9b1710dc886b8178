"""The webhook's SQL per step (issue 14: at most 10 statements a step, the audit entry and the
conversation without a round trip each). Counted inside the test's own transaction, so BEGIN and
COMMIT are not among them; on PostgreSQL one more, the transaction's SET LOCAL lock_timeout."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The test suite's own atomic block around each request: one SAVEPOINT, one RELEASE.
TEST_SAVEPOINTS = 2


def statements(send, body) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        send(body)
    return [query["sql"] for query in captured.captured_queries if "lock_timeout" not in query["sql"]]


def tables(sqls, verb) -> Counter:
    return Counter(sql.split('"')[1] for sql in sqls if sql.startswith(verb) and '"' in sql)


def touching(sqls, table) -> list[str]:
    """The statements that name `table` (a CTE names several)."""
    return [sql for sql in sqls if f'"{table}"' in sql]


@pytest.fixture
def send(phone_of, helper, digipunt_a):
    return phone_of()


def test_a_follow_up_step_costs_at_most_ten_statements(send):
    send("AFSPRAAK")
    sqls = statements(send, "blabla")  # not understood: the topic menu again
    assert len(sqls) - TEST_SAVEPOINTS <= 10, "\n".join(sqls)
    assert not [sql for sql in sqls if "SAVEPOINT" in sql][TEST_SAVEPOINTS:], "no savepoint of its own"
    reads = tables(sqls, "SELECT")
    # The citizen is found, locked and marked in contact in one statement, the conversation read
    # once, locked as it is read (no refresh_from_db); the hourly limit is counted inside the
    # municipality's read.
    assert len(touching(sqls, "helpdesk_citizen")) == 1
    assert reads["conversations_conversation"] == 1
    assert reads["helpdesk_municipality"] == 1
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT")]
    assert tables(sqls, "INSERT")["sms_inboundmessage"] == 1


def test_the_first_message_stores_itself_in_one_statement(send, phone_of):
    # Another citizen's message first: the municipality's topic order by demand is cached (for
    # hours), as it is for every message but the first of a municipality in that time.
    phone_of("+32479000001")("AFSPRAAK")
    sqls = statements(send, "AFSPRAAK")
    assert len(sqls) - TEST_SAVEPOINTS <= 14, "\n".join(sqls)
    assert not [sql for sql in sqls if "SAVEPOINT" in sql][TEST_SAVEPOINTS:], "no savepoint of its own"
    assert tables(sqls, "INSERT")["sms_inboundmessage"] == 1
    # A citizen made by this message has no conversation to look for: it is written once, at
    # the end, with the state the answer left it in.
    assert touching(sqls, "conversations_conversation") == [
        sql for sql in sqls if sql.startswith('INSERT INTO "conversations_conversation"')
    ]
    assert len(touching(sqls, "conversations_conversation")) == 1
    # Found or made in one statement on PostgreSQL; SQLite asks, then (having forgotten any
    # remembered opt-out) inserts: its write transactions are serialised.
    citizen = touching(sqls, "helpdesk_citizen")
    assert len(citizen) == (1 if connection.vendor == "postgresql" else 2), citizen
    assert tables(sqls, "INSERT")["privacy_auditevent"] == 1  # the new citizen's audit entry
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT")]
