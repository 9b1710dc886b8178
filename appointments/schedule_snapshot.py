"""A municipality's week, cached: what the slot engine needs that changes rarely.

Opening hours, closures, the active volunteers serving its digipunten (languages, topics, weekly
limit), their availability blocks and absences, in integer minutes after local midnight. Seven
queries build it; it is then kept in the cache (Redis in production, local memory on the
embedded default) and in this process under `helpdesk.schedule_version`, which every change to
those rows bumps (the signals connected in `connect()`), so a slot search reads only the
appointments from the database. Built afresh each local day, so a snapshot never lacks a closure
or absence it needs. A stale snapshot offers a slot that is no longer free at worst: the booking
function re-reads the appointments under its locks and the database constraints have the last word.
"""

import contextlib
import contextvars
import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from helpdesk import schedule_version
from helpdesk.cache_versions import layout, shared
from helpdesk.models import Closure, Digipunt, Municipality, OpeningHours
from helpdesk.opening import public_holiday
from volunteers.models import Absence, Availability, Volunteer

CACHE_SECONDS = 24 * 3600
MEMO_SIZE = 256  # snapshots kept in this process (one per municipality and day)
_memo: dict[tuple, "Snapshot"] = {}
_pinned = contextvars.ContextVar("schedule_snapshot_pinned", default=None)  # municipality -> Snapshot


def minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class Place:
    digipunt: Digipunt  # with its municipality
    hours: dict[int, tuple[tuple[int, int], ...]]  # weekday -> (opens, closes) minutes, by opening
    closures: tuple[tuple[datetime.date, datetime.date, str], ...]  # (first, last, reason)

    def closed_reason(self, day: datetime.date) -> str | None:
        """Why this digipunt is closed on `day` (holiday name or closure reason), or None."""
        holiday = public_holiday(day)
        if holiday:
            return holiday
        for first, last, reason in self.closures:
            if first <= day <= last:
                return reason
        return None


@dataclass(frozen=True)
class Helper:
    """An active volunteer serving digipunten of the municipality."""

    pk: int
    languages: frozenset[str]
    topics: frozenset[int]
    generalist: bool
    week_limit: int | None  # minutes a week, None without a limit
    places: frozenset[int]  # the digipunten of this municipality they serve
    # (digipunt id, weekday, starts, ends, valid from, valid until or None)
    blocks: tuple[tuple[int, int, int, int, datetime.date, datetime.date | None], ...] = ()
    absences: tuple[tuple[datetime.date, datetime.date], ...] = ()

    def knows(self, topic_id: int, language: str) -> bool:
        return language in self.languages and (self.generalist or topic_id in self.topics)

    def duty(self, place: Place, day: datetime.date) -> list[tuple[int, int]]:
        """(start, end) minutes this volunteer is on duty at `place` on `day` (an open day),
        within its opening hours, outside absences."""
        if any(first <= day <= last for first, last in self.absences):
            return []
        periods = place.hours.get(day.weekday(), ())
        result = []
        for digipunt_id, weekday, starts, ends, valid_from, valid_until in self.blocks:
            if digipunt_id != place.digipunt.pk or weekday != day.weekday():
                continue
            if day < valid_from or (valid_until is not None and day > valid_until):
                continue
            for opens, closes in periods:
                piece_start, piece_end = max(starts, opens), min(ends, closes)
                if piece_start < piece_end:
                    result.append((piece_start, piece_end))
        return result


@dataclass
class Snapshot:
    places: dict[int, Place] = field(default_factory=dict)
    helpers: dict[int, Helper] = field(default_factory=dict)

    def eligible(self, place_ids, topic_id: int, language: str) -> dict[int, set[int]]:
        """{volunteer id: the given digipunten they serve} for those who can help with this."""
        wanted = set(place_ids)
        result = {}
        for helper in self.helpers.values():
            served = helper.places & wanted
            if served and helper.knows(topic_id, language):
                result[helper.pk] = set(served)
        return result


def _build(municipality_id: int, today: datetime.date) -> Snapshot:
    snapshot = Snapshot()
    digipunten = list(Digipunt.objects.filter(municipality_id=municipality_id).select_related("municipality"))
    hours: dict[int, dict[int, list]] = {d.pk: {} for d in digipunten}
    for digipunt_id, weekday, opens, closes in (
        OpeningHours.objects.filter(digipunt__municipality_id=municipality_id)
        .order_by("opens")
        .values_list("digipunt_id", "weekday", "opens", "closes")
    ):
        hours[digipunt_id].setdefault(weekday, []).append((minutes(opens), minutes(closes)))
    closures: dict[int, list] = {d.pk: [] for d in digipunten}
    for closure in Closure.objects.filter(
        Q(digipunt__municipality_id=municipality_id)
        | Q(digipunt__isnull=True, municipality_id=municipality_id),
        end_date__gte=today - datetime.timedelta(days=1),
    ).order_by("start_date"):
        entry = (closure.start_date, closure.end_date, closure.reason or str(closure))
        for digipunt_id in [closure.digipunt_id] if closure.digipunt_id else closures:
            if digipunt_id in closures:
                closures[digipunt_id].append(entry)
    for digipunt in digipunten:
        snapshot.places[digipunt.pk] = Place(
            digipunt=digipunt,
            hours={weekday: tuple(periods) for weekday, periods in hours[digipunt.pk].items()},
            closures=tuple(closures[digipunt.pk]),
        )

    people: dict[int, dict] = {}
    for (
        volunteer_id,
        digipunt_id,
        languages,
        max_hours,
        generalist,
    ) in Volunteer.digipunten.through.objects.filter(
        digipunt__municipality_id=municipality_id, volunteer__status=Volunteer.Status.ACTIVE
    ).values_list(
        "volunteer_id",
        "digipunt_id",
        "volunteer__languages",
        "volunteer__max_hours_per_week",
        "volunteer__is_generalist",
    ):
        person = people.setdefault(
            volunteer_id,
            {
                "languages": frozenset(languages or []),
                "week_limit": max_hours * 60 if max_hours else None,
                "generalist": generalist,
                "places": set(),
                "topics": set(),
                "blocks": [],
                "absences": [],
            },
        )
        person["places"].add(digipunt_id)
    if people:
        for volunteer_id, topic_id in Volunteer.topics.through.objects.filter(
            volunteer_id__in=people
        ).values_list("volunteer_id", "topic_id"):
            people[volunteer_id]["topics"].add(topic_id)
        for volunteer_id, digipunt_id, weekday, starts, ends, valid_from, valid_until in (
            Availability.objects.filter(volunteer_id__in=people, digipunt__municipality_id=municipality_id)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .values_list(
                "volunteer_id", "digipunt_id", "weekday", "starts", "ends", "valid_from", "valid_until"
            )
        ):
            people[volunteer_id]["blocks"].append(
                (digipunt_id, weekday, minutes(starts), minutes(ends), valid_from, valid_until)
            )
        for volunteer_id, first, last in Absence.objects.filter(
            volunteer_id__in=people, end_date__gte=today
        ).values_list("volunteer_id", "start_date", "end_date"):
            people[volunteer_id]["absences"].append((first, last))
    for volunteer_id, person in people.items():
        snapshot.helpers[volunteer_id] = Helper(
            pk=volunteer_id,
            languages=person["languages"],
            topics=frozenset(person["topics"]),
            generalist=person["generalist"],
            week_limit=person["week_limit"],
            places=frozenset(person["places"]),
            blocks=tuple(person["blocks"]),
            absences=tuple(person["absences"]),
        )
    return snapshot


@contextlib.contextmanager
def pinned():
    """Inside, each municipality's snapshot is read once. A booking asks for it three times (the
    week of its start, whom to lock, the search), each a cache round trip for the version
    otherwise; one snapshot throughout is also one view of the week. Nested blocks share the
    outer one's."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def for_municipality(municipality_id: int) -> Snapshot:
    """The municipality's snapshot: pinned in this block, else from this process, else the cache,
    else built (and stored)."""
    pins = _pinned.get()
    snapshot = pins.get(municipality_id) if pins is not None else None
    if snapshot is None:
        snapshot = _current(municipality_id)
        if pins is not None:
            pins[municipality_id] = snapshot
    return snapshot


def _current(municipality_id: int) -> Snapshot:
    today = timezone.localdate()
    if not shared():  # local memory under several workers: another may have changed the week
        return _build(municipality_id, today)
    key = (schedule_version.current(), municipality_id, today.isoformat())
    snapshot = _memo.get(key)
    if snapshot is not None:
        return snapshot
    shape = layout(__name__, Municipality, Digipunt, OpeningHours, Closure, Volunteer, Availability, Absence)
    cache_key = "schedule:snapshot:{}:{}:{}:{}".format(shape, *key)
    snapshot = cache.get(cache_key)
    if snapshot is None:
        snapshot = _build(municipality_id, today)
        cache.set(cache_key, snapshot, timeout=CACHE_SECONDS)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()  # older versions and days: nothing reads them again
    _memo[key] = snapshot
    return snapshot


def place(digipunt: Digipunt) -> Place:
    """The cached week of this digipunt (built afresh when the snapshot predates it)."""
    found = for_municipality(digipunt.municipality_id).places.get(digipunt.pk)
    if found is None:
        schedule_version.bump()  # a digipunt the cache has not seen: the snapshot is behind
        if (pins := _pinned.get()) is not None:
            pins.pop(digipunt.municipality_id, None)
        found = for_municipality(digipunt.municipality_id).places[digipunt.pk]
    return found


def _changed(sender, **kwargs):
    schedule_version.bump()


def connect() -> None:
    """Bump the schedule version on any change to what a snapshot holds (AppConfig.ready)."""
    for model in (Municipality, Digipunt, OpeningHours, Closure, Volunteer, Availability, Absence):
        post_save.connect(_changed, sender=model, dispatch_uid=f"schedule-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"schedule-delete-{model._meta.label}")
    for through in (Volunteer.topics.through, Volunteer.digipunten.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"schedule-m2m-{through._meta.label}")
