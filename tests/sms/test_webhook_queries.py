"""The webhook's SQL per step (issue 14: at most 10 statements a step, the audit entry and the
conversation without a round trip each). Counted inside the test's own transaction, so BEGIN and
COMMIT are not among them; on PostgreSQL one more, the transaction's SET LOCAL lock_timeout,
counted apart (once per transaction)."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The test suite's own atomic block around each request: one SAVEPOINT, one RELEASE.
TEST_SAVEPOINTS = 2
LIMIT = 10
# What a step costs today, on PostgreSQL without the SET LOCAL (SQLite: a first message asks
# for the citizen, forgets a remembered opt-out and inserts in three statements, its write
# transactions being serialised): a step that costs more fails here first.
FIRST_MESSAGE = 6 if connection.vendor == "postgresql" else 10
FOLLOW_UP = 7


def statements(send, body) -> tuple[list[str], int]:
    """The step's statements, without the test's savepoints, and how often it set lock_timeout."""
    with CaptureQueriesContext(connection) as captured:
        send(body)
    sqls = [query["sql"] for query in captured.captured_queries]
    timeouts = [sql for sql in sqls if "lock_timeout" in sql]
    others = [sql for sql in sqls if "lock_timeout" not in sql]
    savepoints = [sql for sql in others if "SAVEPOINT" in sql]
    assert len(savepoints) == TEST_SAVEPOINTS, "no savepoint of its own"
    return [sql for sql in others if "SAVEPOINT" not in sql], len(timeouts)


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
    sqls, timeouts = statements(send, "blabla")  # not understood: the topic menu again
    assert len(sqls) <= min(LIMIT, FOLLOW_UP), "\n".join(sqls)
    assert timeouts == (1 if connection.vendor == "postgresql" else 0)
    reads = tables(sqls, "SELECT")
    # The citizen is found, locked and marked in contact in one statement, the conversation read
    # once, locked as it is read (no refresh_from_db); the hourly limit is counted inside the
    # municipality's read, the daily limit inside the reply's INSERT; the topics are cached.
    assert len(touching(sqls, "helpdesk_citizen")) == 1
    assert reads["conversations_conversation"] == 1
    assert reads["helpdesk_municipality"] == 1
    assert not touching(sqls, "helpdesk_topic")
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT")]
    assert tables(sqls, "INSERT")["sms_inboundmessage"] == 1
    assert touching(sqls, "sms_outboundmessage") == [
        sql for sql in sqls if sql.startswith('INSERT INTO "sms_outboundmessage"')
    ]


def test_the_first_message_costs_at_most_ten_statements(send, phone_of):
    # Another citizen's message first: the municipality's topic order by demand is cached (for
    # hours), as it is for every message but the first of a municipality in that time.
    phone_of("+32479000001")("AFSPRAAK")
    sqls, timeouts = statements(send, "AFSPRAAK")
    assert len(sqls) <= min(LIMIT, FIRST_MESSAGE), "\n".join(sqls)
    assert timeouts == (1 if connection.vendor == "postgresql" else 0)
    assert tables(sqls, "INSERT")["sms_inboundmessage"] == 1
    # A citizen made by this message has no conversation to look for: it is written once, at
    # the end, with the state the answer left it in.
    # On PostgreSQL the new citizen's audit entry rides in that INSERT (conversations/state.py).
    conversation = touching(sqls, "conversations_conversation")
    assert len(conversation) == 1
    assert 'INSERT INTO "conversations_conversation"' in conversation[0]
    if connection.vendor == "postgresql":
        assert 'INSERT INTO "privacy_auditevent"' in conversation[0]
    # Found or made in one statement on PostgreSQL (SQLite: asked, then inserted).
    citizen = touching(sqls, "helpdesk_citizen")
    assert len(citizen) == (1 if connection.vendor == "postgresql" else 2), citizen
    if connection.vendor == "postgresql":
        assert touching(sqls, "sms_erasedoptout") == citizen  # the remembered opt-out inside it
    # The new citizen's audit entry, once (on PostgreSQL inside the conversation's INSERT).
    assert len(touching(sqls, "privacy_auditevent")) == 1
    assert not touching(sqls, "helpdesk_topic")
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT")]
    outbound = touching(sqls, "sms_outboundmessage")
    assert len(outbound) == 1
    assert outbound[0].startswith('INSERT INTO "sms_outboundmessage"')
