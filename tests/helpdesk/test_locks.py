"""The one lock helper: inside a transaction only, one fixed order, one timeout, one error."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from conversations.models import Conversation
from helpdesk import locks
from helpdesk.models import Citizen, Digipunt, Municipality
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"
)


@pytest.fixture
def rows(db):
    municipality = MunicipalityFactory()
    return CitizenFactory(municipality=municipality), DigipuntFactory(municipality=municipality)


def test_it_refuses_to_lock_outside_a_transaction(rows):
    citizen, _digipunt = rows
    with pytest.raises(RuntimeError, match="transaction"):
        locks.lock(citizen)


def test_it_refuses_a_model_without_a_rank(rows):
    municipality = Municipality.objects.first()
    with transaction.atomic(), pytest.raises(TypeError, match="lock_rank"):
        locks.lock(municipality)


def test_one_call_takes_the_rows_in_rank_order_whatever_the_argument_order(rows):
    citizen, digipunt = rows
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locks.lock(digipunt, citizen)
    tables = [q["sql"] for q in queries.captured_queries if "helpdesk_" in q["sql"]]
    assert "helpdesk_citizen" in tables[0]
    assert "helpdesk_digipunt" in tables[1]


def test_a_later_call_may_only_add_rows_that_sort_after_what_is_held(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(citizen)
        locks.lock(digipunt)  # 10 then 30: in order
        locks.lock(citizen, digipunt)  # held already: named again in any order
    with transaction.atomic():
        locks.lock(digipunt)
        with pytest.raises(locks.LockOrderError, match="Citizen"):
            locks.lock(citizen)


def test_a_new_transaction_starts_with_nothing_held(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(digipunt)
    with transaction.atomic():
        locks.lock(citizen)  # not "after the digipunt": that transaction is over


def test_the_same_decorated_function_twice_is_two_transactions(rows):
    citizen, digipunt = rows

    @transaction.atomic
    def work(obj):
        locks.lock(obj)

    work(digipunt)
    work(citizen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_decorated_function_twice_is_two_transactions_outside_the_test_suite_too():
    municipality = MunicipalityFactory()
    citizen, digipunt = CitizenFactory(municipality=municipality), DigipuntFactory(municipality=municipality)

    @transaction.atomic
    def work(obj):
        locks.lock(obj)

    work(digipunt)
    work(citizen)


def test_a_savepoint_rolled_back_after_an_earlier_lock_forgets_only_its_own_rows(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        locks.lock(citizen)
        try:
            with transaction.atomic():
                locks.lock(digipunt)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert locks.held(Digipunt) == set()
        assert locks.held(Citizen) == {citizen.pk}
        conversation = Conversation.objects.create(citizen=citizen)
        locks.lock(conversation)  # 20 after 10: in order once the digipunt (30) is released


def test_a_rolled_back_savepoint_releases_what_it_locked(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        try:
            with transaction.atomic():
                locks.lock(digipunt)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        locks.lock(citizen)


def test_the_lock_timeout_is_set_once_per_transaction(rows):
    citizen, digipunt = rows
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locks.lock(citizen)
        locks.lock(digipunt)
    settings_sql = [q["sql"] for q in queries.captured_queries if "lock_timeout" in q["sql"]]
    assert len(settings_sql) == (1 if connection.vendor == "postgresql" else 0)


def test_the_lock_timeout_is_set_once_even_when_the_first_lock_found_no_row(rows):
    citizen, digipunt = rows
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert locks.select(Citizen.objects.filter(pk=citizen.pk + 1000)) == []  # a new number
        locks.lock(digipunt)
    settings_sql = [q["sql"] for q in queries.captured_queries if "lock_timeout" in q["sql"]]
    assert len(settings_sql) == (1 if connection.vendor == "postgresql" else 0)


@postgres_only
def test_a_savepoint_rolled_back_takes_the_timeout_with_it_and_it_is_set_again(rows):
    citizen, digipunt = rows

    def timeout():
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            return cursor.fetchone()[0]

    with transaction.atomic():
        try:
            with transaction.atomic():
                locks.lock(citizen)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert timeout() != "5s"  # PostgreSQL undid the SET LOCAL with the savepoint
        locks.lock(digipunt)
        assert timeout() == "5s"


def hold_in_another_connection(obj, release: threading.Event, held: threading.Event):
    def run():
        try:
            with transaction.atomic():
                list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_held_too_long_raises_lock_timeout(monkeypatch):
    citizen = CitizenFactory()
    monkeypatch.setattr(locks, "LOCK_TIMEOUT_MS", 200)
    release, held = threading.Event(), threading.Event()
    thread = hold_in_another_connection(citizen, release, held)
    try:
        assert held.wait(10)
        with pytest.raises(locks.LockTimeout), transaction.atomic():
            locks.lock(citizen)
    finally:
        release.set()
        thread.join(10)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_try_lock_never_waits_and_what_it_got_counts_for_the_order():
    citizen, other = CitizenFactory(), CitizenFactory()
    release, held = threading.Event(), threading.Event()
    thread = hold_in_another_connection(citizen, release, held)
    try:
        assert held.wait(10)
        with transaction.atomic():
            assert locks.try_lock(citizen) is False
            assert locks.try_lock(other) is True
    finally:
        release.set()
        thread.join(10)


def test_try_lock_counts_as_held(rows):
    citizen, digipunt = rows
    with transaction.atomic():
        assert locks.try_lock(digipunt)
        with pytest.raises(locks.LockOrderError):
            locks.lock(citizen)
