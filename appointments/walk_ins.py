"""The walk-in queue at the counter: a ticket, a place in line, an estimated wait."""

import datetime
import statistics

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from appointments.models import WalkIn
from helpdesk import locks

# Until today's queue has served a few people, a visit is assumed to take this long.
DEFAULT_VISIT_MINUTES = 20

# Test seam: called between reading a ticket as waiting and calling it, to widen the window in
# the concurrency test (tests/appointments/test_call_next_race.py). Production never sets it.
after_pick = None


@transaction.atomic
def register(*, digipunt, topic, language, name="", citizen=None, now=None) -> WalkIn:
    """A new ticket with the next number of the day at this digipunt."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    for _attempt in range(5):
        number = (WalkIn.objects.filter(digipunt=digipunt, day=day).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return WalkIn.objects.create(
                    digipunt=digipunt, day=day, number=number, topic=topic, language=language,
                    name=name[:60], citizen=citizen, arrived_at=now,
                )  # fmt: skip
        except IntegrityError:
            continue  # someone took that number a moment ago
    raise RuntimeError("Could not number the walk-in ticket")


def call(ticket: WalkIn, *, by=None, now=None) -> WalkIn:
    return _move(ticket, WalkIn.Status.CALLED, by=by, now=now)


def finish(ticket: WalkIn, *, served: bool, now=None) -> WalkIn:
    return _move(ticket, WalkIn.Status.SERVED if served else WalkIn.Status.LEFT, now=now)


def call_next(digipunt, *, by=None, now=None) -> WalkIn | None:
    """Call the oldest waiting ticket of today at this digipunt; None when nobody waits.

    Two desks pressing "call next" at once get two different tickets: each candidate is taken with
    try_lock (SKIP LOCKED), so a ticket another desk is calling right now is passed over instead
    of waited for (never a wait, so no lock-order concern), and its status is read again under the
    lock, so a ticket called a moment ago is never called twice."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = WalkIn.objects.filter(
            digipunt=digipunt, day=timezone.localdate(now), status=WalkIn.Status.WAITING
        ).order_by("number")
        for candidate in waiting:
            if not locks.try_lock(candidate):
                continue
            current = WalkIn.objects.get(pk=candidate.pk)
            if current.status != WalkIn.Status.WAITING:
                continue
            if after_pick is not None:
                after_pick()
            return _apply(current, WalkIn.Status.CALLED, by=by, now=now)
    return None


def undo_left(ticket: WalkIn, *, now=None) -> WalkIn:
    """Take back a "left without help" pressed by mistake: the ticket returns to where it was
    (being helped when it had been called, else waiting, in its old place in line)."""
    with transaction.atomic():
        locks.lock(ticket)
        current = WalkIn.objects.get(pk=ticket.pk)
        if current.status != WalkIn.Status.LEFT:
            return current
        current.status = WalkIn.Status.CALLED if current.called_at else WalkIn.Status.WAITING
        current.finished_at = None
        current.save()
    return current


ALLOWED = {
    WalkIn.Status.WAITING: {WalkIn.Status.CALLED, WalkIn.Status.LEFT},
    WalkIn.Status.CALLED: {WalkIn.Status.SERVED, WalkIn.Status.LEFT},
}


def _move(ticket, to, *, by=None, now=None) -> WalkIn:
    now = now or timezone.now()
    with transaction.atomic():
        locks.lock(ticket)
        current = WalkIn.objects.get(pk=ticket.pk)
        if to not in ALLOWED.get(current.status, set()):
            return current
        return _apply(current, to, by=by, now=now)


def _apply(current: WalkIn, to, *, by, now) -> WalkIn:
    current.status = to
    if to == WalkIn.Status.CALLED:
        current.called_at = now
        current.called_by = by if getattr(by, "is_authenticated", False) else None
    else:
        current.finished_at = now
    current.save()
    return current


def queue(digipunt, day: datetime.date) -> list[WalkIn]:
    return list(
        WalkIn.objects.filter(digipunt=digipunt, day=day)
        .select_related("topic", "help_request")
        .order_by("number")
    )


def estimated_waits(tickets: list[WalkIn], desks: int) -> dict[int, int]:
    """Minutes each waiting ticket may still wait: its place in line times a typical visit,
    shared over the desks. The typical visit is today's median once three people were helped."""
    visits = [
        (t.finished_at - t.called_at).total_seconds() / 60
        for t in tickets
        if t.status == WalkIn.Status.SERVED and t.called_at and t.finished_at
    ]
    typical = statistics.median(visits) if len(visits) >= 3 else DEFAULT_VISIT_MINUTES
    waiting = [t for t in tickets if t.status == WalkIn.Status.WAITING]
    return {t.pk: round(position * typical / max(desks, 1)) for position, t in enumerate(waiting)}
