"""Free slots: when and where a citizen can be helped with a topic in a language.

A slot is a start on the digipunt's grid where the digipunt is open (not a holiday or closure), a
desk is free, and at least one active volunteer who speaks the language and knows the topic (or
helps with anything) is on duty there and not busy. Availability is computed from the rows that
consume it (appointments), never from a counter, in a constant number of queries whatever the
number of days, volunteers or appointments.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from appointments.models import Appointment
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, OpeningHours, Topic
from helpdesk.opening import closed_reason, closures_by_digipunt
from volunteers.availability import shifts
from volunteers.models import Volunteer


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime  # aware, Europe/Brussels
    end: datetime.datetime
    digipunt: Digipunt
    volunteer_ids: tuple[int, ...]  # who could take it


def _exists(moment: datetime.datetime) -> bool:
    """False for wall-clock times skipped by the spring-forward change (02:30 on that night)."""
    zone = moment.tzinfo
    return moment.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )


def _peak(start, end, intervals) -> int:
    """The most intervals running at the same moment within [start, end)."""
    # (moment, +1/-1) pairs; at equal moments an end (-1) sorts before a start: [) intervals.
    edges = sorted(
        edge
        for s, e in intervals
        if s < end and start < e
        for edge in ((max(s, start), 1), (min(e, end), -1))
    )
    running = peak = 0
    for _moment, change in edges:
        running += change
        peak = max(peak, running)
    return peak


def _overlaps(start, end, intervals) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end in intervals)


def grid_starts(
    digipunt: Digipunt, day: datetime.date, opens: datetime.time, closes: datetime.time, minutes: int
):
    """Aware starts on the digipunt's grid (counted from midnight) whose appointment fits before closing."""
    zone = local_zone()
    grid = digipunt.slot_minutes
    first = opens.hour * 60 + opens.minute
    first += (-first) % grid
    close_at = datetime.datetime.combine(day, closes, tzinfo=zone)
    for offset in range(first, 24 * 60, grid):
        start = datetime.datetime.combine(day, datetime.time(offset // 60, offset % 60), tzinfo=zone)
        if not _exists(start):
            continue
        # Durations are real time: add them in UTC so a DST change cannot stretch or shrink them.
        end = (start.astimezone(datetime.UTC) + datetime.timedelta(minutes=minutes)).astimezone(zone)
        if end > close_at:
            return
        yield start, end


def booking_window(digipunt: Digipunt, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    """(earliest start, last day) that this digipunt takes bookings for, seen at `now`."""
    earliest = now + datetime.timedelta(minutes=digipunt.lead_time_minutes)
    last_day = now.astimezone(local_zone()).date() + datetime.timedelta(days=digipunt.booking_horizon_days)
    return earliest, last_day


def eligible_volunteers(
    digipunten, topic: Topic, language: str
) -> tuple[dict[int, set[int]], dict[int, int]]:
    """({volunteer id: ids of the given digipunten they serve}, {volunteer id: max hours a week})
    for active volunteers who speak the language and know the topic (or help with anything)."""
    rows = (
        Volunteer.digipunten.through.objects.filter(
            digipunt__in=digipunten,
            volunteer__status=Volunteer.Status.ACTIVE,
        )
        .filter(Q(volunteer__topics=topic) | Q(volunteer__is_generalist=True))
        .values_list("volunteer_id", "digipunt_id", "volunteer__languages", "volunteer__max_hours_per_week")
        .distinct()
    )
    result, limits = defaultdict(set), {}
    for volunteer_id, digipunt_id, languages, max_hours in rows:
        # Languages are a JSON list; "contains" is not portable to SQLite, so test here.
        if language in (languages or []):
            result[volunteer_id].add(digipunt_id)
            if max_hours:
                limits[volunteer_id] = max_hours
    return result, limits


def free_slots(
    *,
    topic: Topic,
    language: str,
    start_date: datetime.date,
    end_date: datetime.date,
    now: datetime.datetime,
    digipunten=None,
    municipality=None,
    citizen=None,
    exclude_appointment=None,
) -> list[Slot]:
    """Free slots from `start_date` to `end_date` (inclusive), sorted by start then place.

    Give `digipunten` (an iterable or queryset) or a `municipality` (all its active digipunten).
    With `citizen`, slots overlapping that citizen's own appointments are left out.
    """
    queryset = Digipunt.objects.filter(is_active=True)
    if digipunten is not None:
        queryset = queryset.filter(pk__in=[getattr(d, "pk", d) for d in digipunten])
    elif municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    else:
        raise ValueError("free_slots needs digipunten or a municipality")
    places = list(
        queryset.select_related("municipality").prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("opens"))
        )
    )
    if not places:
        return []
    minutes = topic.default_duration_minutes
    zone = local_zone()
    # Clip the period to what any digipunt accepts.
    today = now.astimezone(zone).date()
    start_date = max(start_date, today)
    end_date = min(end_date, today + datetime.timedelta(days=max(p.booking_horizon_days for p in places)))
    if end_date < start_date:
        return []

    volunteers, weekly_limit = eligible_volunteers(places, topic, language)
    closures = closures_by_digipunt(places, start_date, end_date)
    duty = defaultdict(list)  # (volunteer, digipunt, day) -> [(start, end)]
    for shift in shifts(list(volunteers), start_date, end_date):
        duty[(shift.volunteer_id, shift.digipunt.pk, shift.day)].append((shift.start, shift.end))

    # Whole ISO weeks, so a volunteer's weekly hours count every appointment of those weeks.
    week_start = start_date - datetime.timedelta(days=start_date.weekday())
    week_end = end_date + datetime.timedelta(days=7 - end_date.weekday())
    period_start = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=zone)
    period_end = datetime.datetime.combine(week_end, datetime.time.min, tzinfo=zone)
    busy = Q(digipunt__in=places) | Q(volunteer_id__in=list(volunteers))
    if citizen is not None:
        busy |= Q(citizen=citizen)
    booked = Appointment.objects.filter(
        busy, status__in=Appointment.ACTIVE, start__lt=period_end, end__gt=period_start
    )
    if exclude_appointment is not None:
        booked = booked.exclude(pk=exclude_appointment.pk)
    # Indexed by local day, so each candidate start only looks at that day's appointments.
    at_desk, of_volunteer, of_citizen = defaultdict(list), defaultdict(list), defaultdict(list)
    week_minutes = defaultdict(float)
    for digipunt_id, volunteer_id, citizen_id, start, end in booked.values_list(
        "digipunt_id", "volunteer_id", "citizen_id", "start", "end"
    ):
        day = start.astimezone(zone).date()
        at_desk[(digipunt_id, day)].append((start, end))
        of_volunteer[(volunteer_id, day)].append((start, end))
        week_minutes[(volunteer_id, day.isocalendar()[:2])] += (end - start).total_seconds() / 60
        if citizen is not None and citizen_id == citizen.pk:
            of_citizen[day].append((start, end))

    result = []
    day = start_date
    while day <= end_date:
        for place in places:
            earliest, last_day = booking_window(place, now)
            if day > last_day or closed_reason(day, closures[place.pk]):
                continue
            week = day.isocalendar()[:2]
            here = [
                v
                for v, served in volunteers.items()
                if place.pk in served
                and (v not in weekly_limit or week_minutes[(v, week)] + minutes <= weekly_limit[v] * 60)
            ]
            desk_today, citizen_today = at_desk[(place.pk, day)], of_citizen[day]
            for hours in place.opening_hours.all():
                if hours.weekday != day.weekday():
                    continue
                for start, end in grid_starts(place, day, hours.opens, hours.closes, minutes):
                    if start < earliest:
                        continue
                    if _peak(start, end, desk_today) >= place.desks or _overlaps(start, end, citizen_today):
                        continue
                    free = tuple(
                        v
                        for v in here
                        if any(s <= start and end <= e for s, e in duty[(v, place.pk, day)])
                        and not _overlaps(start, end, of_volunteer[(v, day)])
                    )
                    if free:
                        result.append(Slot(start=start, end=end, digipunt=place, volunteer_ids=free))
        day += datetime.timedelta(days=1)
    result.sort(key=lambda slot: (slot.start, slot.digipunt.name))
    return result
