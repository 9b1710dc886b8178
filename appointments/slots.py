"""Free slots: when and where a citizen can be helped with a topic in a language.

A slot is a start on the digipunt's grid where the digipunt is open (not a holiday or closure), a
desk is free, and at least one active volunteer who speaks the language and knows the topic (or
helps with anything) is on duty there and not busy. Availability is computed from the rows that
consume it (appointments, read in one query), never from a counter. What changes rarely (opening
hours, closures, volunteers and their blocks) comes from the municipality's cached week
(`appointments.schedule_snapshot`), so the cost grows with the days asked and the appointments
in them. Times are integer minutes since the epoch (UTC), so a DST change cannot stretch a slot.
"""

import bisect
import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from appointments import schedule_snapshot
from appointments.consuming import Consuming
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, Topic


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


def grid_starts(
    digipunt: Digipunt, day: datetime.date, opens: datetime.time, closes: datetime.time, minutes: int
):
    """Aware starts on the digipunt's grid (counted from midnight) whose appointment fits before closing."""
    zone = local_zone()
    clock = _Clock(day, zone)
    close_at = clock.epoch(closes.hour * 60 + closes.minute)
    for start in clock.grid(opens.hour * 60 + opens.minute, digipunt.slot_minutes):
        if start + minutes > close_at:
            return
        yield clock.aware(start), clock.aware(start + minutes)


def booking_window(digipunt: Digipunt, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    """(earliest start, last day) that this digipunt takes bookings for, seen at `now`."""
    earliest = now + datetime.timedelta(minutes=digipunt.lead_time_minutes)
    last_day = now.astimezone(local_zone()).date() + datetime.timedelta(days=digipunt.booking_horizon_days)
    return earliest, last_day


def epoch_minutes(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // 60


class _Clock:
    """Local wall-clock minutes of one day as epoch minutes; exact on the days the clock changes."""

    def __init__(self, day: datetime.date, zone):
        self.day, self.zone = day, zone
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        following = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        self.base = epoch_minutes(midnight)
        self.end = epoch_minutes(following)
        self.steady = self.end - self.base == 24 * 60  # no DST change that day

    def epoch(self, offset: int) -> int:
        if self.steady:
            return self.base + offset
        return epoch_minutes(
            datetime.datetime.combine(self.day, datetime.time(offset // 60, offset % 60), tzinfo=self.zone)
        )

    def exists(self, offset: int) -> bool:
        if self.steady:
            return True
        return _exists(
            datetime.datetime.combine(self.day, datetime.time(offset // 60, offset % 60), tzinfo=self.zone)
        )

    def grid(self, opens: int, step: int):
        """Epoch minutes of the grid starts (counted from midnight) from `opens` on, that day."""
        first = opens + (-opens) % step
        for offset in range(first, 24 * 60, step):
            if self.exists(offset):
                yield self.epoch(offset)

    def aware(self, epoch: int) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(epoch * 60, self.zone)


class _Load:
    """How many of a desk-day's appointments run at each moment: a step function built once per
    digipunt and day (the day's intervals sorted once), which each grid start then asks in two
    bisections instead of sorting the day's appointments again."""

    def __init__(self, intervals):
        self.moments: list[int] = []  # where the count changes, ascending
        self.counts: list[int] = []  # the count from that moment to the next
        running = 0
        # [) intervals: everything changing at one moment is applied before the count is read.
        for moment, change in sorted(edge for s, e in intervals for edge in ((s, 1), (e, -1))):
            running += change
            if self.moments and self.moments[-1] == moment:
                self.counts[-1] = running
            else:
                self.moments.append(moment)
                self.counts.append(running)

    def peak(self, start: int, end: int) -> int:
        """The most appointments running at the same moment within [start, end)."""
        first = bisect.bisect_right(self.moments, start)  # the changes up to start
        at_start = self.counts[first - 1] if first else 0
        within = self.counts[first : bisect.bisect_left(self.moments, end, first)]
        return max(at_start, *within) if within else at_start


def _overlaps(start: int, end: int, intervals) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end in intervals)


def _free(start: int, end: int, duty, taken) -> bool:
    """On duty for the whole of [start, end) and in none of their appointments then. Plain loops:
    this runs for every volunteer at every grid start of a search."""
    for on, off in duty:
        if on <= start and end <= off:
            break
    else:
        return False
    for other_start, other_end in taken:  # noqa: SIM110  (a loop: no generator per call)
        if other_start < end and start < other_end:
            return False
    return True


def _places(digipunten, municipality) -> list[tuple[schedule_snapshot.Snapshot, schedule_snapshot.Place]]:
    """The active digipunten asked for, each with its municipality's snapshot."""
    if digipunten is not None:
        wanted: dict[int, int | None] = {}
        if hasattr(digipunten, "values_list"):  # a queryset: read ids, not whole rows
            wanted = dict(digipunten.values_list("pk", "municipality_id"))
        else:
            for item in digipunten:
                wanted[getattr(item, "pk", item)] = getattr(item, "municipality_id", None)
        if None in wanted.values():  # ids only: which municipality each belongs to
            wanted.update(Digipunt.objects.filter(pk__in=list(wanted)).values_list("pk", "municipality_id"))
        by_municipality = defaultdict(list)
        for pk, municipality_id in wanted.items():
            if municipality_id is not None:
                by_municipality[municipality_id].append(pk)
    elif municipality is not None:
        municipality_id = getattr(municipality, "pk", municipality)
        by_municipality = {municipality_id: list(schedule_snapshot.for_municipality(municipality_id).places)}
    else:
        raise ValueError("free_slots needs digipunten or a municipality")
    result = []
    for municipality_id, ids in by_municipality.items():
        snapshot = schedule_snapshot.for_municipality(municipality_id)
        result.extend(
            (snapshot, snapshot.places[pk])
            for pk in ids
            if pk in snapshot.places and snapshot.places[pk].digipunt.is_active
        )
    return result


@dataclass
class Busy:
    """The appointments that consume the period searched, in epoch minutes, by local day."""

    at_desk: dict = field(default_factory=lambda: defaultdict(list))  # (digipunt, day) -> [(start, end)]
    of_volunteer: dict = field(default_factory=lambda: defaultdict(list))  # (volunteer, day) -> [...]
    of_citizen: dict = field(default_factory=lambda: defaultdict(list))  # day -> [(start, end)]
    week_minutes: dict = field(default_factory=lambda: defaultdict(int))  # (volunteer, ISO week) -> minutes
    # (start minute, volunteer) of the citizen's appointments, any time
    citizen_history: list = field(default_factory=list)


def _busy(places, volunteers, limited, start_date, end_date, citizen, exclude_appointment, history) -> Busy:
    zone = local_zone()
    day_start = datetime.datetime.combine(start_date, datetime.time.min, tzinfo=zone)
    day_end = datetime.datetime.combine(end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    desks = [place.digipunt.pk for _snapshot, place in places]
    query = Consuming()
    among = query.among("digipunt", desks, "volunteer", list(volunteers))
    wanted = [f"(({among}) AND {query.during(day_start, day_end)})"]
    if limited:
        # Whole ISO weeks for volunteers with weekly hours, so every appointment of those weeks counts.
        week_start = start_date - datetime.timedelta(days=start_date.weekday())
        week_end = end_date + datetime.timedelta(days=7 - end_date.weekday())
        among = query.among("volunteer", list(limited))
        weeks = query.during(
            datetime.datetime.combine(week_start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(week_end, datetime.time.min, tzinfo=zone),
        )
        wanted.append(f"({among} AND {weeks})")
    if citizen is not None:
        mine = query.equals("citizen", citizen.pk)
        wanted.append(mine if history else f"({mine} AND {query.during(day_start, day_end)})")
    rows = query.rows(" OR ".join(wanted), exclude=exclude_appointment)
    busy = Busy()
    first = start_date - datetime.timedelta(days=start_date.weekday())
    day_of = _LocalDays(first, end_date + datetime.timedelta(days=7 - end_date.weekday()), zone)
    for digipunt_id, volunteer_id, citizen_id, start, end in rows:
        day = day_of(start)
        interval = (start, end)
        busy.at_desk[(digipunt_id, day)].append(interval)
        busy.of_volunteer[(volunteer_id, day)].append(interval)
        busy.week_minutes[(volunteer_id, day.isocalendar()[:2])] += end - start
        if citizen is not None and citizen_id == citizen.pk:
            busy.of_citizen[day].append(interval)
            busy.citizen_history.append((start, volunteer_id))
    return busy


class _LocalDays:
    """The local day of an epoch minute: a bisection among the local midnights of the days
    searched (and their weeks), where a clock change makes a day 23 or 25 hours long; the time
    zone's own conversion for a moment outside them (a citizen's older appointments)."""

    def __init__(self, first: datetime.date, last: datetime.date, zone):
        self.first, self.zone = first, zone
        self.midnights = [
            epoch_minutes(
                datetime.datetime.combine(first + datetime.timedelta(days=n), datetime.time.min, zone)
            )
            for n in range((last - first).days + 2)
        ]

    def __call__(self, minute: int) -> datetime.date:
        index = bisect.bisect_right(self.midnights, minute) - 1
        if 0 <= index < len(self.midnights) - 1:
            return self.first + datetime.timedelta(days=index)
        return datetime.datetime.fromtimestamp(minute * 60, self.zone).date()


def search(
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
    citizen_history: bool = False,
) -> tuple[list[Slot], Busy | None]:
    """free_slots, with the appointments it read (the booking function picks a volunteer from
    them). `citizen_history` also reads the citizen's appointments outside the period."""
    places = _places(digipunten, municipality)
    if not places:
        return [], None
    minutes = topic.default_duration_minutes
    zone = local_zone()
    # Clip the period to what any digipunt accepts.
    today = now.astimezone(zone).date()
    start_date = max(start_date, today)
    horizon = max(place.digipunt.booking_horizon_days for _snapshot, place in places)
    end_date = min(end_date, today + datetime.timedelta(days=horizon))
    if end_date < start_date:
        return [], None

    volunteers: dict[int, tuple] = {}  # id -> (helper, ids of the asked digipunten they serve)
    for snapshot, place in places:
        for volunteer_id in snapshot.eligible([place.digipunt.pk], topic.pk, language):
            helper = snapshot.helpers[volunteer_id]
            volunteers.setdefault(volunteer_id, (helper, set()))[1].add(place.digipunt.pk)
    limited = {v for v, (helper, _served) in volunteers.items() if helper.week_limit}
    busy = _busy(
        places, volunteers, limited, start_date, end_date, citizen, exclude_appointment, citizen_history
    )

    result = []
    earliest_of = {place.digipunt.pk: booking_window(place.digipunt, now) for _snapshot, place in places}
    day = start_date
    while day <= end_date:
        clock = _Clock(day, zone)
        week = day.isocalendar()[:2]
        for _snapshot, place in places:
            digipunt = place.digipunt
            earliest, last_day = earliest_of[digipunt.pk]
            periods = place.hours.get(day.weekday())
            if not periods or day > last_day or place.closed_reason(day):
                continue
            earliest_minute = math.ceil(earliest.timestamp() / 60)  # the first whole minute not before it
            here = []
            for volunteer_id, (helper, served) in volunteers.items():
                if digipunt.pk not in served:
                    continue
                if (
                    helper.week_limit
                    and busy.week_minutes[(volunteer_id, week)] + minutes > helper.week_limit
                ):
                    continue
                duty = [(clock.epoch(s), clock.epoch(e)) for s, e in helper.duty(place, day)]
                if duty:
                    here.append((volunteer_id, duty, busy.of_volunteer[(volunteer_id, day)]))
            if not here:
                continue
            here.sort(key=lambda entry: entry[0])  # so each slot's volunteers come out in id order
            desk_today, citizen_today = _Load(busy.at_desk[(digipunt.pk, day)]), busy.of_citizen[day]
            for opens, closes in periods:
                close_at = clock.epoch(closes)
                for start in clock.grid(opens, digipunt.slot_minutes):
                    end = start + minutes
                    if end > close_at:
                        break
                    if start < earliest_minute:
                        continue
                    if desk_today.peak(start, end) >= digipunt.desks or _overlaps(start, end, citizen_today):
                        continue
                    free = tuple(v for v, duty, taken in here if _free(start, end, duty, taken))
                    if free:
                        result.append(
                            Slot(
                                start=clock.aware(start),
                                end=clock.aware(end),
                                digipunt=digipunt,
                                volunteer_ids=free,
                            )
                        )
        day += datetime.timedelta(days=1)
    result.sort(key=lambda slot: (slot.start, slot.digipunt.name))
    return result, busy


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

    Give `digipunten` (an iterable of digipunten or their ids, or a queryset) or a `municipality`
    (all its active digipunten). With `citizen`, slots overlapping that citizen's own appointments
    are left out.
    """
    slots, _busy_rows = search(
        topic=topic,
        language=language,
        start_date=start_date,
        end_date=end_date,
        now=now,
        digipunten=digipunten,
        municipality=municipality,
        citizen=citizen,
        exclude_appointment=exclude_appointment,
    )
    return slots


def least_busy(slot: Slot, busy: Busy) -> int:
    """The citizen's previous volunteer when free (a follow-up), else the least busy that day."""
    candidates = set(slot.volunteer_ids)
    previous = [(start, v) for start, v in busy.citizen_history if v in candidates]
    if previous:
        return max(previous, key=lambda row: row[0])[1]
    day = slot.start.astimezone(local_zone()).date()
    load = Counter({v: len(busy.of_volunteer[(v, day)]) for v in candidates})
    return min(candidates, key=lambda v: (load[v], v))
