"""Turn weekly availability into concrete shifts: what a volunteer really covers on which day.

A shift counts only inside the digipunt's opening hours, outside public holidays and closures,
and not during the volunteer's absences. Computed in a constant number of queries for any number
of volunteers and days, so the slot engine and the calendar feed can both use it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, OpeningHours
from helpdesk.opening import closures_by_digipunt, public_holiday
from volunteers.models import Absence, Availability, Volunteer


@dataclass(frozen=True)
class Shift:
    volunteer_id: int
    availability: Availability
    digipunt: Digipunt
    day: datetime.date
    start: datetime.datetime  # aware, Europe/Brussels
    end: datetime.datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def _daterange(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def _clip(starts, ends, periods):
    """Pieces of [starts, ends) that fall inside the opening periods."""
    for opens, closes in periods:
        piece_start, piece_end = max(starts, opens), min(ends, closes)
        if piece_start < piece_end:
            yield piece_start, piece_end


def shifts(
    volunteer_ids, start: datetime.date, end: datetime.date, *, active_only: bool = True
) -> list[Shift]:
    """The shifts of these volunteers from `start` to `end` (both inclusive), sorted by start."""
    volunteers = Volunteer.objects.filter(pk__in=volunteer_ids)
    if active_only:
        volunteers = volunteers.filter(status=Volunteer.Status.ACTIVE)
    blocks = list(
        Availability.objects.filter(volunteer__in=volunteers, valid_from__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .select_related("digipunt", "digipunt__municipality")
        .prefetch_related(
            Prefetch("digipunt__opening_hours", queryset=OpeningHours.objects.order_by("opens"))
        )
    )
    if not blocks:
        return []
    absences = defaultdict(list)
    for absence in Absence.objects.filter(
        volunteer_id__in={b.volunteer_id for b in blocks}, start_date__lte=end, end_date__gte=start
    ):
        absences[absence.volunteer_id].append(absence)
    closures = closures_by_digipunt({b.digipunt_id: b.digipunt for b in blocks}.values(), start, end)
    served = set(
        Volunteer.digipunten.through.objects.filter(
            volunteer_id__in={b.volunteer_id for b in blocks}
        ).values_list("volunteer_id", "digipunt_id")
    )

    def closed(digipunt: Digipunt, day: datetime.date) -> bool:
        return any(c.covers(day) for c in closures[digipunt.pk])

    zone = local_zone()
    today = timezone.localdate()
    by_weekday = defaultdict(list)
    for block in blocks:
        by_weekday[block.weekday].append(block)
    result = []
    for day in _daterange(start, end):
        todays = by_weekday.get(day.weekday())
        if not todays or public_holiday(day):
            continue
        for block in todays:
            # A block counts from the day it was entered until it was ended.
            if day < block.valid_from or (block.valid_until and day > block.valid_until):
                continue
            if any(a.start_date <= day <= a.end_date for a in absences[block.volunteer_id]):
                continue
            digipunt = block.digipunt
            # The past stays as it was; from today on, only active digipunten the volunteer serves.
            if day >= today and (not digipunt.is_active or (block.volunteer_id, digipunt.pk) not in served):
                continue
            if closed(digipunt, day):
                continue
            periods = [
                (h.opens, h.closes) for h in digipunt.opening_hours.all() if h.weekday == day.weekday()
            ]
            for piece_start, piece_end in _clip(block.starts, block.ends, periods):
                result.append(
                    Shift(
                        volunteer_id=block.volunteer_id,
                        availability=block,
                        digipunt=digipunt,
                        day=day,
                        start=datetime.datetime.combine(day, piece_start, tzinfo=zone),
                        end=datetime.datetime.combine(day, piece_end, tzinfo=zone),
                    )
                )
    result.sort(key=lambda s: (s.start, s.volunteer_id, s.digipunt.pk))
    return result
