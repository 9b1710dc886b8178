"""Two desks press "call next" at the same moment (PostgreSQL, real connections, real threads).

First the race is shown to be real with the row lock switched off; then, with it on, each desk
calls a different ticket: never one ticket twice, never an error.
"""

import threading

import pytest
from django.db import connection, connections

from appointments import walk_ins
from appointments.models import WalkIn
from helpdesk import locks
from helpdesk.models import Topic
from tests.factories import DigipuntFactory, MunicipalityFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]
DESKS = 4


@pytest.fixture
def queue(taxonomy, frozen_now):
    digipunt = DigipuntFactory(municipality=MunicipalityFactory(name="Wachtdorp", sms_number="+32460999998"))
    taxes = Topic.objects.get(code="taxes")
    for name in ("Jan", "Els", "Piet", "Mia", "Lotte", "Omar"):
        walk_ins.register(digipunt=digipunt, topic=taxes, language="nl", name=name)
    staff = [UserFactory(username=f"desk{n}") for n in range(DESKS)]
    return digipunt, staff


def press_together(digipunt, staff):
    barrier = threading.Barrier(len(staff))
    outcomes = []

    def press(user):
        try:
            barrier.wait()
            ticket = walk_ins.call_next(digipunt, by=user)
            outcomes.append(ticket.number if ticket else None)
        except Exception as error:  # anything else is a bug the test must show
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_without_the_lock_two_desks_call_the_same_ticket(queue, monkeypatch):
    monkeypatch.setattr(locks, "try_lock", lambda obj: True)
    monkeypatch.setattr(walk_ins, "after_pick", lambda: threading.Event().wait(0.3))
    outcomes = press_together(*queue)
    assert len(set(outcomes)) < len(outcomes), outcomes  # the bug the lock prevents
    assert WalkIn.objects.filter(status="called").count() < DESKS


def test_with_the_lock_each_desk_calls_a_different_ticket(queue, monkeypatch):
    monkeypatch.setattr(walk_ins, "after_pick", lambda: threading.Event().wait(0.3))
    outcomes = press_together(*queue)
    assert sorted(outcomes) == [1, 2, 3, 4], outcomes  # the oldest four, one each
    called = WalkIn.objects.filter(status="called")
    assert called.count() == DESKS
    assert len({ticket.called_by_id for ticket in called}) == DESKS
    assert list(WalkIn.objects.filter(status="waiting").values_list("number", flat=True)) == [5, 6]
