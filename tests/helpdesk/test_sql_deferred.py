"""helpdesk.sql.deferred() and insert(): rows other apps add to a hot path's own statement."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk import sql
from helpdesk.models import OutboundEmail
from tests.factories import CitizenFactory


def email(to="v@example.org", municipality=None) -> OutboundEmail:
    return OutboundEmail(municipality=municipality, to=to, subject="s", body="b", due_at=timezone.now())


@pytest.mark.django_db
def test_outside_a_block_an_insert_runs_at_once_and_gets_its_key(municipality_a):
    row = email(municipality=municipality_a)
    sql.insert(row)
    assert row.pk is not None
    assert not row._state.adding
    assert OutboundEmail.objects.get(pk=row.pk).to == "v@example.org"


@pytest.mark.django_db
def test_inside_a_block_the_owner_runs_what_it_takes(municipality_a):
    with sql.deferred() as queued:
        sql.insert(email("a@example.org", municipality_a))
        sql.insert(email("b@example.org", municipality_a))
        assert not OutboundEmail.objects.exists()  # gathered, not run
        assert len(queued) == 2
        with CaptureQueriesContext(connection) as queries:
            sql.together(list(queued))
        queued.clear()
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == ["a@example.org", "b@example.org"]
    # One statement on PostgreSQL (WITH parts); SQLite runs them one by one.
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 2)


@pytest.mark.django_db
def test_what_the_owner_leaves_runs_when_the_block_ends(municipality_a):
    with sql.deferred():
        sql.insert(email(municipality=municipality_a))
        assert not OutboundEmail.objects.exists()
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_a_block_that_fails_runs_nothing(municipality_a):
    def fail():
        with transaction.atomic(), sql.deferred():
            sql.insert(email(municipality=municipality_a))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_an_inner_block_gathers_into_the_outer_one(municipality_a):
    with sql.deferred() as outer:
        with sql.deferred() as inner:
            sql.insert(email(municipality=municipality_a))
        assert inner is outer
        assert len(outer) == 1
        assert not OutboundEmail.objects.exists()  # the inner block's end ran nothing
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_ignore_conflicts_leaves_the_row_that_was_there(municipality_a):
    from sms.models import OutboundMessage

    citizen_a = CitizenFactory(municipality=municipality_a)

    def message(body):
        return OutboundMessage(
            municipality_id=citizen_a.municipality_id,
            citizen=citizen_a,
            to=citizen_a.phone,
            body=body,
            kind=OutboundMessage.Kind.REMINDER,
            due_at=timezone.now(),
            idempotency_key="reminder:1",
        )

    sql.insert(message("first"), ignore_conflicts=True)
    second = message("second")
    sql.insert(second, ignore_conflicts=True)
    assert second.pk is None  # kept out by the conflict
    assert list(OutboundMessage.objects.values_list("body", flat=True)) == ["first"]
