import datetime
import zoneinfo

import icalendar
import pytest
import vobject

from helpdesk.ical import follows_eu_rule, vtimezone

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def calendar_with_hourly_probes(first: datetime.date, last: datetime.date) -> str:
    calendar = icalendar.Calendar.new(name="probe")
    calendar.add_component(vtimezone("Europe/Brussels", first, last))
    day, n = first, 0
    while day <= last:
        # 02:00-03:00 is skipped: it does not exist in spring and happens twice in autumn.
        for hour in (0, 1, 3, 4, 9, 23):
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=BRUSSELS)
            calendar.add_component(
                icalendar.Event.new(uid=f"probe-{n}", start=start, end=start + datetime.timedelta(minutes=30))
            )
            n += 1
        day += datetime.timedelta(days=1)
    return calendar.to_ical().decode()


def expected_offset(moment: datetime.datetime) -> datetime.timedelta:
    return moment.replace(tzinfo=BRUSSELS).utcoffset()


@pytest.mark.parametrize("year", [2026, 2027, 2031])
def test_vtimezone_matches_zoneinfo_in_vobject_and_icalendar(year):
    # The days around both switches, where a wrong rule shows first.
    for first in (datetime.date(year, 3, 20), datetime.date(year, 10, 20)):
        text = calendar_with_hourly_probes(first, first + datetime.timedelta(days=14))
        for event in vobject.readOne(text).vevent_list:
            start = event.dtstart.value
            assert start.utcoffset() == expected_offset(start.replace(tzinfo=None)), start
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
            start = event["DTSTART"].dt
            assert start.utcoffset() == expected_offset(start.replace(tzinfo=None)), start


def test_a_client_that_caches_the_vtimezone_still_gets_later_feeds_right():
    # vobject keeps the first VTIMEZONE it reads per TZID for the whole process.
    vobject.readOne(calendar_with_hourly_probes(datetime.date(2026, 11, 1), datetime.date(2026, 11, 3)))
    later = vobject.readOne(calendar_with_hourly_probes(datetime.date(2027, 7, 1), datetime.date(2027, 7, 3)))
    assert {e.dtstart.value.utcoffset() for e in later.vevent_list} == {datetime.timedelta(hours=2)}


def test_brussels_follows_the_eu_rule_and_other_zones_fall_back():
    assert follows_eu_rule(BRUSSELS, 2026, 2030) == (datetime.timedelta(hours=1), "CET", "CEST")
    assert follows_eu_rule(zoneinfo.ZoneInfo("America/New_York"), 2026, 2027) is None
    fallback = vtimezone("America/New_York", datetime.date(2026, 10, 1), datetime.date(2027, 5, 1))
    assert fallback["TZID"] == "America/New_York"
