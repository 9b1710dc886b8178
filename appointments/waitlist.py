"""The waitlist: citizens for whom nothing fitted. A freed slot goes to the first in line.

An offer is announced (signals.waitlist_offer_made): citizens who asked by SMS get it by SMS from
sms/ and answer 1 or 2; the counter view lists the other
offers for staff to phone. Waiting entries count as unmet demand in the statistics.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from appointments import signals
from appointments.models import Appointment, WaitlistEntry
from appointments.slots import free_slots

MAX_ENTRIES_TRIED = 20


def add(*, citizen, topic, language, channel, digipunt=None, weekdays=(), part="") -> WaitlistEntry:
    """Put the citizen in line (once per topic), with their wish: `weekdays` (0 = Monday) and
    `part` of the day (PartOfDay; empty: any). Already in line: the entry is returned, with the
    wish given now when one is given (the caller's latest word counts)."""
    wish = {"preferred_weekdays": sorted(set(weekdays)), "preferred_part": part}
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(
                municipality_id=citizen.municipality_id,
                citizen=citizen,
                topic=topic,
                language=language,
                channel=channel,
                digipunt=digipunt,
                **wish,
            )
    except IntegrityError:
        entry = WaitlistEntry.objects.get(
            citizen=citizen,
            topic=topic,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        )
        if weekdays or part:
            WaitlistEntry.objects.filter(pk=entry.pk).update(**wish)
            entry.preferred_weekdays, entry.preferred_part = wish["preferred_weekdays"], part
        return entry


def offer_freed_slot(
    appointment: Appointment, *, now: datetime.datetime | None = None
) -> WaitlistEntry | None:
    """After a cancellation: offer the freed time to the first waiting citizen it suits (not to
    the one who cancelled)."""
    return offer_time(
        appointment.digipunt,
        appointment.start,
        appointment.end,
        now=now or timezone.now(),
        skip_citizen_id=appointment.citizen_id,
    )


def offer_time(digipunt, start, end, *, now, skip_citizen_id=None) -> WaitlistEntry | None:
    """Offer the time from `start` to `end` at `digipunt` to the first waiting citizen it suits
    (language, topic and their wished weekdays and part of the day)."""
    # Offers of times already past were not taken: those people wait again.
    WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offered_start__lt=now).update(
        status=WaitlistEntry.Status.WAITING, offered_start=None, offered_digipunt=None
    )
    waiting = (
        WaitlistEntry.objects.filter(
            municipality_id=digipunt.municipality_id, status=WaitlistEntry.Status.WAITING
        )
        .filter(Q(digipunt__isnull=True) | Q(digipunt=digipunt))
        .exclude(citizen_id=skip_citizen_id)
        .select_related("topic", "citizen")
    )
    day = timezone.localtime(start).date()
    for entry in waiting[:MAX_ENTRIES_TRIED]:
        slots = free_slots(
            topic=entry.topic,
            language=entry.language,
            start_date=day,
            end_date=day,
            now=now,
            digipunten=[digipunt],
            citizen=entry.citizen,
        )
        fitting = [s for s in slots if s.start < end and start < s.end and entry.suits(s.start)]
        if fitting:
            entry.status = WaitlistEntry.Status.OFFERED
            entry.offered_start = fitting[0].start
            entry.offered_digipunt = digipunt
            entry.save(update_fields=["status", "offered_start", "offered_digipunt", "updated_at"])
            signals.waitlist_offer_made.send(WaitlistEntry, entry=entry, now=now)
            return entry
    return None
