"""locks.select (load and lock in one statement) and locks.hold_new (rows just inserted), the
SMS webhook's way to lock its citizen and conversation without a second round trip."""

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
