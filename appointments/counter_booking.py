"""The rules behind booking for a caller at the counter: which day and part of the day to show,
the caller's coming appointments, and what to offer when nothing is free.

Plain functions over the slot engine (`slots.free_slots`); the views in booking_views.py only
read the request and render.
"""

import dataclasses
import datetime
from collections import defaultdict

from appointments.models import NOON, Appointment, PartOfDay
from appointments.slots import Slot, free_slots
from helpdesk.localtime import local_zone

STRIP_DAYS = 14  # two weeks: "next Thursday" is always on the strip
TIMES_SHOWN = 8  # per screen, before "more times"


@dataclasses.dataclass(frozen=True)
class StripDay:
    day: datetime.date
    morning: int  # free times
    afternoon: int

    @property
    def total(self) -> int:
        return self.morning + self.afternoon


def in_part(slot: Slot, part: str) -> bool:
    """Whether the slot lies in the part of the day ("" or unknown: the whole day)."""
    local = slot.start.astimezone(local_zone()).time()
    if part == PartOfDay.MORNING:
        return local < NOON
    if part == PartOfDay.AFTERNOON:
        return local >= NOON
    return True


def strip_start(day: datetime.date, today: datetime.date) -> datetime.date:
    """The strip starts on the Monday of the chosen day's week, never before today's."""
    return max(day, today) - datetime.timedelta(days=max(day, today).weekday())


def day_strip(slots: list[Slot], first: datetime.date, days: int = STRIP_DAYS) -> list[StripDay]:
    """Free times per day and half day for `days` days from `first`."""
    counts = defaultdict(lambda: [0, 0])
    zone = local_zone()
    for slot in slots:
        counts[slot.start.astimezone(zone).date()][0 if in_part(slot, PartOfDay.MORNING) else 1] += 1
    result = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        result.append(StripDay(day, *counts[day]))
    return result


def search(
    *, topic, language, places, day, part, now, citizen, moving=None, days=STRIP_DAYS
) -> tuple[list[Slot], list[StripDay], datetime.date]:
    """Free slots for the picker: (the chosen day's times in the part of the day, the strip
    around it, the strip's first day). One call of the slot engine covers the strip."""
    today = now.astimezone(local_zone()).date()
    first = strip_start(day, today)
    slots = free_slots(
        topic=topic,
        language=language,
        start_date=first,
        end_date=first + datetime.timedelta(days=days - 1),
        now=now,
        digipunten=places,
        citizen=citizen,
        exclude_appointment=moving,
    )
    zone = local_zone()
    chosen = [s for s in slots if s.start.astimezone(zone).date() == day and in_part(s, part)]
    return chosen, day_strip(slots, first, days), first


def first_free(
    *, topic, language, places, after, part, now, citizen, moving=None, horizon_days=60
) -> Slot | None:
    """The first free slot from the day `after` on in the part of the day (for "next free day").
    The next two weeks first: most callers find a time there, and the slot engine's cost grows
    with the days it covers."""
    near = after + datetime.timedelta(days=STRIP_DAYS - 1)
    for first, last in (
        (after, near),
        (near + datetime.timedelta(days=1), after + datetime.timedelta(days=horizon_days)),
    ):
        for slot in free_slots(
            topic=topic,
            language=language,
            start_date=first,
            end_date=last,
            now=now,
            digipunten=places,
            citizen=citizen,
            exclude_appointment=moving,
        ):
            if in_part(slot, part):
                return slot
    return None


def other_languages(*, topic, language, places, now, citizen, horizon_days=60) -> list[str]:
    """Languages the places offer in which some time is free, for the dead end ("other language")."""
    offered = []
    for place in places:
        offered += [code for code in place.languages if code != language and code not in offered]
    today = now.astimezone(local_zone()).date()
    return [
        code
        for code in offered
        if free_slots(
            topic=topic,
            language=code,
            start_date=today,
            end_date=today + datetime.timedelta(days=horizon_days),
            now=now,
            digipunten=places,
            citizen=citizen,
        )
    ]


def coming_appointments(citizen, now: datetime.datetime):
    """The caller's booked appointments that have not started yet, the soonest first."""
    return (
        Appointment.objects.filter(citizen=citizen, status=Appointment.Status.BOOKED, start__gte=now)
        .select_related("topic", "digipunt")
        .order_by("start")
    )


def same_topic(citizen, topic, now: datetime.datetime) -> list[Appointment]:
    """Coming appointments of the caller for this topic: a second one needs an explicit yes."""
    return list(coming_appointments(citizen, now).filter(topic=topic))
