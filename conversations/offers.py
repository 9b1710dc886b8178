"""Which free times to offer: three that differ, so the citizen has a real choice.

The first free time; then the first in another part of the day (morning, afternoon, evening);
then the first on another day (or, when the citizen has not chosen a place, at another place).
Adjacent times fill the list only when nothing else is free. A wish ("in the afternoon",
"tuesday") narrows the search to the times that fit it.
"""

import datetime
from collections.abc import Callable

from appointments.slots import Slot, free_slots
from conversations.menus import places
from helpdesk.localtime import local_zone

MAX_SLOTS = 3
SEARCH_DAYS = 7  # the search grows in windows of a week up to the booking horizon
MORNING_ENDS, AFTERNOON_ENDS = datetime.time(12, 0), datetime.time(17, 0)


def part_of_day(start: datetime.datetime) -> str:
    moment = start.astimezone(local_zone()).time()
    if moment < MORNING_ENDS:
        return "morning"
    return "afternoon" if moment < AFTERNOON_ENDS else "evening"


def _day(slot: Slot) -> datetime.date:
    return slot.start.astimezone(local_zone()).date()


def pick(candidates: list[Slot], *, place_chosen: bool, limit: int = MAX_SLOTS) -> list[Slot]:
    """Up to `limit` times from `candidates` (sorted by start) that differ, in time order."""
    if not candidates:
        return []
    first = candidates[0]
    chosen = [first]

    def take(condition):
        for slot in candidates:
            if slot not in chosen and condition(slot):
                chosen.append(slot)
                return True
        return False

    take(lambda s: part_of_day(s.start) != part_of_day(first.start))
    days = lambda: {_day(s) for s in chosen}  # noqa: E731
    if not take(lambda s: _day(s) not in days()) and not place_chosen:
        take(lambda s: s.digipunt.pk not in {c.digipunt.pk for c in chosen})
    # Nothing else differs: the next free times, adjacent or not.
    for slot in candidates:
        if len(chosen) >= limit:
            break
        if slot not in chosen:
            chosen.append(slot)
    return sorted(chosen[:limit], key=lambda s: (s.start, s.digipunt.pk))


def find_slots(
    *,
    citizen,
    topic,
    language,
    digipunt_id,
    now,
    after=None,
    limit=MAX_SLOTS,
    fits: Callable[[Slot], bool] | None = None,
    exclude_appointment=None,
) -> list[Slot]:
    """Times to offer after `after` (a (start, digipunt id) key) that fit the wish `fits`."""
    zone = local_zone()
    scope = {"digipunten": [digipunt_id]} if digipunt_id else {"municipality": citizen.municipality}
    horizon = max((d.booking_horizon_days for d in places(citizen.municipality_id)), default=0)
    first = now.astimezone(zone).date()
    if after is not None:
        first = max(first, after[0].astimezone(zone).date())
    last = now.astimezone(zone).date() + datetime.timedelta(days=horizon)
    found: list[Slot] = []
    while first <= last:
        window_end = min(first + datetime.timedelta(days=SEARCH_DAYS - 1), last)
        for slot in free_slots(
            topic=topic,
            language=language,
            start_date=first,
            end_date=window_end,
            now=now,
            citizen=citizen,
            exclude_appointment=exclude_appointment,
            **scope,
        ):
            if (after is None or (slot.start, slot.digipunt.pk) > after) and (fits is None or fits(slot)):
                found.append(slot)
        first = window_end + datetime.timedelta(days=1)
        # A week with times on two days and in two parts of the day gives three that differ.
        if len({_day(s) for s in found}) >= 2 and len({part_of_day(s.start) for s in found}) >= 2:
            break
    found.sort(key=lambda s: (s.start, s.digipunt.pk))
    return pick(found, place_chosen=digipunt_id is not None, limit=limit)


def encode(slots: list[Slot]) -> list[list]:
    """How offered times are kept in the conversation: [start, digipunt id] pairs."""
    return [[s.start.isoformat(), s.digipunt.pk] for s in slots]


def decode(item) -> tuple[datetime.datetime, int]:
    return datetime.datetime.fromisoformat(item[0]), int(item[1])
