"""What the menus offer: topics, places and free times.

No menu reaches 9: that digit always means "I cannot come" (see sms.conversation).
"""

import datetime

from appointments.slots import free_slots
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, Topic

MAX_TOPICS = 8
MAX_PLACES = 8
MAX_SLOTS = 3
SEARCH_DAYS = 7  # slot search grows in windows of a week up to the booking horizon


def menu_topics(municipality_id: int) -> list[Topic]:
    topics = list(Topic.objects.for_municipality(municipality_id).filter(is_active=True))
    if len(topics) <= MAX_TOPICS:
        return topics
    other = [t for t in topics if t.code == "other"]
    return [t for t in topics if t.code != "other"][: MAX_TOPICS - len(other)] + other


def topic_names(municipality_id: int) -> dict[str, list[str]]:
    return {
        t.code: [t.name_nl, t.name_fr, t.name_en]
        for t in Topic.objects.for_municipality(municipality_id).filter(is_active=True)
    }


def places(municipality_id: int) -> list[Digipunt]:
    return list(Digipunt.objects.filter(municipality_id=municipality_id, is_active=True).order_by("name"))


def place_matters(digipunten: list[Digipunt]) -> bool:
    """Ask where first only when the places lie in different towns (deelgemeenten)."""
    return len({(d.postal_code, d.city.strip().lower()) for d in digipunten}) > 1


def find_slots(*, citizen, topic, language, digipunt_id, now, after=None, limit=MAX_SLOTS):
    """The next free slots after `after` (a (start, digipunt id) key), nearest first."""
    zone = local_zone()
    scope = {"digipunten": [digipunt_id]} if digipunt_id else {"municipality": citizen.municipality}
    horizon = max((d.booking_horizon_days for d in places(citizen.municipality_id)), default=0)
    first = now.astimezone(zone).date()
    if after is not None:
        first = max(first, after[0].astimezone(zone).date())
    last = now.astimezone(zone).date() + datetime.timedelta(days=horizon)
    found = []
    while first <= last and len(found) < limit:
        window_end = min(first + datetime.timedelta(days=SEARCH_DAYS - 1), last)
        for slot in free_slots(
            topic=topic,
            language=language,
            start_date=first,
            end_date=window_end,
            now=now,
            citizen=citizen,
            **scope,
        ):
            if after is None or (slot.start, slot.digipunt.pk) > after:
                found.append(slot)
        first = window_end + datetime.timedelta(days=1)
    found.sort(key=lambda s: (s.start, s.digipunt.pk))
    return found[:limit]
