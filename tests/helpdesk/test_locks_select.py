"""locks.select (load and lock in one statement), locks.run (a statement of the caller's that locks
or inserts rows) and locks.hold_new (rows just inserted): the SMS webhook's ways to lock its
citizen and conversation without a second round trip."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conversations.models import Conversation
from helpdesk import locks
from helpdesk.models import Citizen
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory


@pytest.fixture
def rows(db):
    municipality = MunicipalityFactory()
    return CitizenFactory(municipality=municipality), DigipuntFactory(municipality=municipality)


def test_select_loads_and_locks_in_one_statement(rows):
    citizen, _digipunt = rows
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = locks.select(Citizen.objects.filter(pk=citizen.pk))
        locks.lock(citizen)  # held already: no statement
        assert locks.held(Citizen) == {citizen.pk}
    assert found == [citizen]
    statements = [q["sql"] for q in queries.captured_queries if "helpdesk_citizen" in q["sql"]]
    assert len(statements) == 1
    if connection.vendor == "postgresql":
        assert "FOR NO KEY UPDATE" in statements[0]


def test_select_keeps_the_rank_order(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(digipunt)
        with pytest.raises(locks.LockOrderError, match="Citizen"):
            locks.select(Citizen.objects.filter(pk=citizen.pk))
    with transaction.atomic():
        locks.select(Citizen.objects.filter(pk=citizen.pk))
        locks.lock(digipunt)  # 10 then 30: in order
        with pytest.raises(locks.LockOrderError):
            locks.lock(CitizenFactory(municipality=citizen.municipality))


def test_select_of_nothing_holds_nothing(rows):
    citizen, _digipunt = rows
    with transaction.atomic():
        assert locks.select(Citizen.objects.filter(pk=citizen.pk + 1000)) == []
        assert locks.held(Citizen) == set()


def test_a_row_just_inserted_counts_as_held_without_a_statement(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(citizen)
        conversation = Conversation.objects.create(citizen=citizen)
        with CaptureQueriesContext(connection) as queries:
            locks.hold_new(conversation)
        assert queries.captured_queries == []
        assert locks.held(Conversation) == {conversation.pk}
    with transaction.atomic():
        locks.lock(digipunt)
        with pytest.raises(locks.LockOrderError):
            locks.hold_new(CitizenFactory(municipality=citizen.municipality))


def test_a_row_just_inserted_is_known_as_inserted(rows):
    citizen, _digipunt = rows
    with transaction.atomic():
        locks.lock(citizen)
        conversation = Conversation.objects.create(citizen=citizen)
        assert not locks.inserted(conversation)
        locks.hold_new(conversation)
        assert locks.inserted(conversation)
        assert not locks.inserted(citizen)  # locked, not inserted
    with transaction.atomic():
        assert not locks.inserted(conversation)  # that transaction is over


def update_returning(citizen, *, inserted: bool) -> tuple[str, list]:
    flag = ", 1 AS inserted" if inserted else ""
    return f'UPDATE "helpdesk_citizen" SET "name" = %s WHERE "id" = %s RETURNING *{flag}', ["Jan", citizen.pk]


def test_run_locks_and_returns_the_rows_of_its_statement(rows):
    citizen, digipunt = rows
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = locks.run(Citizen, *update_returning(citizen, inserted=False))
        locks.lock(citizen)  # held already: no statement
        assert locks.held(Citizen) == {citizen.pk}
        assert not locks.inserted(citizen)
        locks.lock(digipunt)  # 10 then 30: in order
    assert [(row.pk, row.name, row.municipality_id) for row in found] == [
        (citizen.pk, "Jan", citizen.municipality_id)
    ]
    statements = [q["sql"] for q in queries.captured_queries if "helpdesk_citizen" in q["sql"]]
    assert len(statements) == 1
    settings_sql = [q["sql"] for q in queries.captured_queries if "lock_timeout" in q["sql"]]
    assert len(settings_sql) == (1 if connection.vendor == "postgresql" else 0)


def test_run_counts_a_row_its_statement_calls_inserted_as_inserted(rows):
    citizen, _digipunt = rows
    with transaction.atomic():
        locks.run(Citizen, *update_returning(citizen, inserted=True))
        assert locks.inserted(citizen)


def test_run_keeps_the_rank_order(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(digipunt)
        with pytest.raises(locks.LockOrderError, match="Citizen"):
            locks.run(Citizen, *update_returning(citizen, inserted=False))


def test_run_of_nothing_holds_nothing(rows):
    citizen, _digipunt = rows
    with transaction.atomic():
        missing = CitizenFactory.build(pk=citizen.pk + 1000)
        assert locks.run(Citizen, *update_returning(missing, inserted=False)) == []
        assert locks.held(Citizen) == set()
