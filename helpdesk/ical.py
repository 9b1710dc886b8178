"""iCalendar helpers shared by every feed.

The VTIMEZONE: icalendar's generated form lists each transition as an RDATE, which some parsers
(dateutil, hence vobject) misread, and which only covers a window; a client that caches a
VTIMEZONE by its TZID (vobject does, process-wide) then gets wrong offsets for later feeds. For
zones on the EU rule (Europe/Brussels) we therefore publish the classic RRULE form that Outlook,
Apple and tzurl.org use, after checking against zoneinfo that the rule really holds for the years
of the feed; other zones fall back to icalendar's generated VTIMEZONE.
"""

import datetime
import zoneinfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

ONE_HOUR = datetime.timedelta(hours=1)


def _last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def _offset(zone, moment_utc: datetime.datetime) -> datetime.timedelta:
    return moment_utc.astimezone(zone).utcoffset()


def follows_eu_rule(zone: zoneinfo.ZoneInfo, first_year: int, last_year: int) -> tuple | None:
    """(standard offset, standard name, daylight name) when the zone switches at 01:00 UTC on the
    last Sundays of March and October in every year of the range, else None."""
    january = datetime.datetime(first_year, 1, 15, 12, tzinfo=datetime.UTC)
    standard = _offset(zone, january)
    standard_name = january.astimezone(zone).tzname()
    daylight_name = None
    for year in range(first_year, last_year + 1):
        for month, before, after in ((3, standard, standard + ONE_HOUR), (10, standard + ONE_HOUR, standard)):
            switch = datetime.datetime.combine(
                _last_sunday(year, month), datetime.time(1), tzinfo=datetime.UTC
            )
            if (
                _offset(zone, switch - datetime.timedelta(minutes=1)) != before
                or _offset(zone, switch) != after
            ):
                return None
        summer = datetime.datetime(year, 7, 15, 12, tzinfo=datetime.UTC)
        daylight_name = summer.astimezone(zone).tzname()
    return standard, standard_name, daylight_name


def _fixed_utc_offset_time(offset: datetime.timedelta) -> datetime.datetime:
    """Local wall-clock time of 01:00 UTC under `offset` (DTSTART is local, in the FROM offset)."""
    return datetime.datetime(1970, 1, 1, 1) + offset


def vtimezone(zone_name: str, first: datetime.date, last: datetime.date) -> Timezone:
    zone = zoneinfo.ZoneInfo(zone_name)
    rule = follows_eu_rule(zone, first.year, last.year)
    if rule is None:
        return Timezone.from_tzid(
            zone_name,
            first_date=first - datetime.timedelta(days=1),
            last_date=last + datetime.timedelta(days=1),
        )
    standard, standard_name, daylight_name = rule
    timezone = Timezone()
    timezone.add("TZID", zone_name)
    for component, month, offset_from, offset_to, name in (
        (TimezoneDaylight(), 3, standard, standard + ONE_HOUR, daylight_name),
        (TimezoneStandard(), 10, standard + ONE_HOUR, standard, standard_name),
    ):
        switch_day = _last_sunday(1970, month)
        local_time = _fixed_utc_offset_time(offset_from).time()
        component.add("DTSTART", datetime.datetime.combine(switch_day, local_time))
        component.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        component.add("TZOFFSETFROM", offset_from)
        component.add("TZOFFSETTO", offset_to)
        component.add("TZNAME", name)
        timezone.add_component(component)
    return timezone
