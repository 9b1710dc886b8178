"""The booking side of bench/web_bench.py, in-process: free slots to book (each takes exactly
one booking), and the booking function against the floor of any booking. Needs django.setup()."""

import datetime
import statistics
import time


def slot_pools(municipality, topic, *, sizes: list[int]):
    """Disjoint lists of free, non-overlapping slots (one desk and one volunteer each, so each
    slot takes exactly one booking), round-robin over the digipunten."""
    from django.utils import timezone

    from appointments.slots import free_slots

    now = timezone.now()
    today = timezone.localdate()
    slots = free_slots(
        topic=topic,
        language="nl",
        start_date=today + datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=56),
        now=now,
        municipality=municipality,
    )
    taken: dict[int, datetime.datetime] = {}
    chosen = []
    for slot in slots:  # sorted by start: keep one that starts after the previous at its place ended
        if slot.start >= taken.get(slot.digipunt.pk, slot.start):
            chosen.append(slot)
            taken[slot.digipunt.pk] = slot.end
    if len(chosen) < sum(sizes):
        raise RuntimeError(f"only {len(chosen)} free slots for {sum(sizes)} bookings")
    pools, at = [], 0
    for size in sizes:
        pools.append(chosen[at : at + size])
        at += size
    return pools


def in_process_booking(slots, topic, floor_slots):
    """booking.book() for one new citizen per slot, against Appointment.objects.create of the
    same row in a transaction (no checks, no locks, no event or reminder rows)."""
    from django.db import connection, transaction

    from appointments.booking import book
    from appointments.models import Appointment
    from helpdesk.models import Citizen

    municipality = slots[0].digipunt.municipality
    citizens = Citizen.objects.bulk_create(
        Citizen(municipality=municipality, phone=f"+32499{i:06d}")
        for i in range(len(slots) + len(floor_slots))
    )
    times, statements = [], []
    for slot, citizen in zip(slots, citizens, strict=False):
        counter = _Statements()
        t0 = time.perf_counter()
        with connection.execute_wrapper(counter):
            book(
                citizen=citizen,
                digipunt=slot.digipunt,
                topic=topic,
                start=slot.start,
                language="nl",
                channel="api",
            )
        times.append((time.perf_counter() - t0) * 1000)
        statements.append(counter.n)
    floor = []
    for i, slot in enumerate(floor_slots):
        row = {
            "digipunt": slot.digipunt,
            "topic": topic,
            "citizen": citizens[len(slots) + i],
            "volunteer_id": slot.volunteer_ids[0],
            "language": "nl",
            "channel": "api",
            "start": slot.start,
            "end": slot.end,
            "code": f"F{i:05d}",
        }
        t0 = time.perf_counter()
        with transaction.atomic():
            Appointment.objects.create(**row)
        floor.append((time.perf_counter() - t0) * 1000)
    skip = max(1, len(times) // 10)  # warm-up
    return statistics.median(times[skip:]), statistics.median(floor[skip:]), max(statements[skip:])


class _Statements:
    """Counts the SQL statements sent (PostgreSQL's BEGIN and COMMIT are not sent through here)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)
