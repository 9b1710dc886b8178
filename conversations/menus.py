"""What the menus offer: topics (most asked first, in pages) and places.

No menu reaches 9: that digit always means "I cannot come" (see conversations.dialogue). The
times offered are chosen in conversations.offers.

The active topics of a municipality are read on every message (to understand it, to show the
menu), so they are cached: in Django's cache and in this process, under a version that any change
to a topic bumps (the signals connected in `connect()`), at once and again when the transaction
commits, as helpdesk.schedule_version does for the week. A write without signals (a queryset
update, a data migration) calls `topics_changed()`; one that does not shows after
TOPICS_CACHE_SECONDS at the latest.
"""

import copy
import datetime
import time

from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save

from appointments.models import Appointment, WalkIn
from helpdesk.cache_versions import CacheVersion, layout, shared
from helpdesk.models import Digipunt, Topic

PAGE_SIZE = 8  # numbered 1 to 8 on every page
MAX_PLACES = 8
OTHER = "other"
# Asked often everywhere yet easy to miss in a short menu: always on the first page.
ALWAYS_FIRST_PAGE = ("device_basics", "communication")
DEMAND_DAYS = 365
DEMAND_CACHE_SECONDS = 6 * 3600  # the order changes slowly; a new topic shows at once anyway


def demand(municipality_id: int, now: datetime.datetime) -> dict[int, int]:
    """How often each topic was asked in the municipality over the last 12 months: appointments
    (whatever became of them: each one was asked for) and walk-ins at the counter."""
    since = now - datetime.timedelta(days=DEMAND_DAYS)
    counts: dict[int, int] = {}
    for queryset, moment in (
        (Appointment.objects.filter(digipunt__municipality_id=municipality_id), "start"),
        (WalkIn.objects.filter(digipunt__municipality_id=municipality_id), "arrived_at"),
    ):
        rows = (
            queryset.filter(**{f"{moment}__gte": since, f"{moment}__lte": now})
            .values("topic_id")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts[row["topic_id"]] = counts.get(row["topic_id"], 0) + row["n"]
    return counts


def _cached_demand(municipality_id: int, now: datetime.datetime) -> dict[int, int]:
    key = f"conversations:topic-demand:{municipality_id}"
    counts = cache.get(key)
    if counts is None:
        counts = demand(municipality_id, now)
        cache.set(key, counts, DEMAND_CACHE_SECONDS)
    return counts


TOPICS_CACHE_SECONDS = 600
TOPICS_MEMO_SECONDS = 60  # this process asks the shared cache again after this
_topics_memo: dict[tuple[str, int], tuple[float, tuple[Topic, ...]]] = {}
MEMO_SIZE = 256


_topics_version = CacheVersion("conversations:topics")
# A topic changed: forget every cached topic list, now and when the change commits.
topics_changed = _topics_version.bump


def _changed(sender, **kwargs) -> None:
    topics_changed()


def connect() -> None:
    """Forget the cached topics on any change to a topic (ConversationsConfig.ready)."""
    post_save.connect(_changed, sender=Topic, dispatch_uid="conversations-topics-save")
    post_delete.connect(_changed, sender=Topic, dispatch_uid="conversations-topics-delete")


def active_topics(municipality_id: int) -> list[Topic]:
    """Every active topic of the municipality (the network's and its own), in the taxonomy's
    order; cached (see the module's docstring). The rows are shared: read them, never change them."""
    if not shared():  # local memory under several workers: another may have changed a topic
        return list(Topic.objects.for_municipality(municipality_id).filter(is_active=True))
    key = (_topics_version.current(), municipality_id)
    moment = time.monotonic()
    entry = _topics_memo.get(key)
    if entry is None or entry[0] <= moment:
        cache_key = "conversations:topics:{}:{}:{}".format(layout(__name__, Topic), *key)
        topics = cache.get(cache_key)
        if topics is None:
            topics = tuple(Topic.objects.for_municipality(municipality_id).filter(is_active=True))
            cache.set(cache_key, topics, TOPICS_CACHE_SECONDS)
        if len(_topics_memo) >= MEMO_SIZE:
            _topics_memo.clear()  # older versions: nothing reads them again
        entry = _topics_memo[key] = (moment + TOPICS_MEMO_SECONDS, topics)
    return list(entry[1])


def active_topic(municipality_id: int, code: str | None) -> Topic | None:
    """The municipality's active topic with this code, from the cached list (a copy of its own:
    it goes on into a booking)."""
    found = next((topic for topic in active_topics(municipality_id) if topic.code == code), None)
    return copy.copy(found) if code and found is not None else None


def ordered_topics(municipality_id: int, now: datetime.datetime) -> list[Topic]:
    """Every active topic of the municipality, most asked first; "Other" last."""
    topics = active_topics(municipality_id)
    counts = _cached_demand(municipality_id, now)
    topics.sort(key=lambda t: (t.code == OTHER, -counts.get(t.pk, 0), t.sort_order, t.pk))
    return topics


def topic_pages(municipality_id: int, now: datetime.datetime) -> list[list[Topic]]:
    """The topic menu in pages of at most PAGE_SIZE; together they hold every topic once.

    The first page has the most asked topics, smartphone/computer basics and e-mail, and "Other"
    (which asks for a few words); the rest follow by demand."""
    topics = ordered_topics(municipality_id, now)
    other = [t for t in topics if t.code == OTHER]
    rest = [t for t in topics if t.code != OTHER]
    if len(topics) <= PAGE_SIZE:
        return [topics]
    room = PAGE_SIZE - len(other)
    must = [t for t in rest if t.code in ALWAYS_FIRST_PAGE]
    first = [t for t in rest if t not in must][: room - len(must)]
    first = [t for t in rest if t in first or t in must]  # keep the demand order
    later = [t for t in rest if t not in first]
    pages = [first + other]
    while later:
        pages.append(later[:PAGE_SIZE])
        later = later[PAGE_SIZE:]
    return pages


def topic_names(municipality_id: int) -> dict[str, list[str]]:
    return {t.code: [t.name_nl, t.name_fr, t.name_en] for t in active_topics(municipality_id)}


def places(municipality_id: int) -> list[Digipunt]:
    return list(Digipunt.objects.filter(municipality_id=municipality_id, is_active=True).order_by("name"))


def place_matters(digipunten: list[Digipunt]) -> bool:
    """Ask where first only when the places lie in different towns (deelgemeenten)."""
    return len({(d.postal_code, d.city.strip().lower()) for d in digipunten}) > 1
