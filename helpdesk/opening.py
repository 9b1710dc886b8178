"""When a digipunt is open: weekly hours minus Belgian public holidays and local closures."""

import datetime
from functools import lru_cache

import holidays
from django.db.models import Q

from helpdesk.languages import current_language
from helpdesk.models import Closure, Digipunt

HOLIDAY_LANGUAGES = {"nl": "nl", "fr": "fr", "en": "en_US"}


@lru_cache(maxsize=32)
def _belgian_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("BE", years=year, language=HOLIDAY_LANGUAGES[language])


def public_holiday(day: datetime.date) -> str | None:
    """The name of the Belgian public holiday on `day` in the active language, or None."""
    return _belgian_holidays(day.year, current_language()).get(day)


def closures_between(digipunt: Digipunt, start: datetime.date, end: datetime.date) -> list[Closure]:
    """Local closures of the digipunt (or its whole municipality) that touch [start, end]."""
    return closures_by_digipunt([digipunt], start, end)[digipunt.pk]


def closures_by_digipunt(digipunten, start: datetime.date, end: datetime.date) -> dict[int, list[Closure]]:
    """Closures touching [start, end] for each of these digipunten, in one query.

    A municipality-wide closure (no digipunt) applies to every digipunt of that municipality.
    """
    digipunten = list(digipunten)
    result = {d.pk: [] for d in digipunten}
    if not digipunten:
        return result
    by_municipality = {}
    for digipunt in digipunten:
        by_municipality.setdefault(digipunt.municipality_id, []).append(digipunt.pk)
    closures = Closure.objects.filter(
        Q(digipunt_id__in=result) | Q(digipunt__isnull=True, municipality_id__in=by_municipality),
        start_date__lte=end,
        end_date__gte=start,
    ).order_by("start_date")
    for closure in closures:
        targets = [closure.digipunt_id] if closure.digipunt_id else by_municipality[closure.municipality_id]
        for digipunt_id in targets:
            if digipunt_id in result:
                result[digipunt_id].append(closure)
    return result


def closed_reason(day: datetime.date, closures: list[Closure]) -> str | None:
    """Why the digipunt is closed on `day` (holiday name or closure reason), or None when open."""
    holiday = public_holiday(day)
    if holiday:
        return holiday
    for closure in closures:
        if closure.covers(day):
            return closure.reason or str(closure)
    return None


def opening_periods(digipunt: Digipunt, day: datetime.date, closures: list[Closure] | None = None):
    """The (opens, closes) periods of `day`, empty when closed. Uses prefetched opening hours."""
    if closures is None:
        closures = closures_between(digipunt, day, day)
    if closed_reason(day, closures):
        return []
    return [(h.opens, h.closes) for h in digipunt.opening_hours.all() if h.weekday == day.weekday()]
