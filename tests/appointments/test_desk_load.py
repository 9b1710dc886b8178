"""appointments.slots._Load: the most appointments running at once in [start, end), asked per grid
start from a step function built once per desk-day, against counting minute by minute; and
_LocalDays: the local day of an epoch minute, against the time zone's own conversion."""

import datetime
import random
import zoneinfo

import pytest

from appointments.slots import _Load, _LocalDays, epoch_minutes


def counted(start, end, intervals) -> int:
    """The definition: at each minute of [start, end), how many [s, e) intervals hold it."""
    return max((sum(s <= minute < e for s, e in intervals) for minute in range(start, end)), default=0)


@pytest.mark.parametrize("seed", range(40))
def test_the_peak_is_the_most_running_at_any_minute(seed):
    rnd = random.Random(seed)
    intervals = []
    for _ in range(rnd.randrange(0, 30)):
        s = rnd.randrange(0, 200, rnd.choice([1, 5, 15, 30]))
        intervals.append((s, s + rnd.choice([5, 15, 30, 45, 60])))
    load = _Load(intervals)
    for start in range(0, 260, 5):
        for length in (1, 15, 30, 60):
            assert load.peak(start, start + length) == counted(start, start + length, intervals)


def test_back_to_back_appointments_share_no_moment():
    load = _Load([(0, 30), (30, 60)])
    assert load.peak(0, 60) == 1
    assert load.peak(29, 31) == 1


def test_an_empty_day_has_no_load():
    assert _Load([]).peak(0, 30) == 0


@pytest.mark.parametrize("first", [datetime.date(2027, 3, 22), datetime.date(2026, 10, 19)])
def test_the_local_day_of_a_minute_agrees_with_the_time_zone_across_a_clock_change(first):
    """The weeks of the spring-forward (28 March 2027) and fall-back (25 October 2026) nights,
    and moments outside the days given (a citizen's older appointments)."""
    zone = zoneinfo.ZoneInfo("Europe/Brussels")
    days = _LocalDays(first, first + datetime.timedelta(days=7), zone)
    start = epoch_minutes(datetime.datetime.combine(first, datetime.time.min, zone))
    for minute in range(start - 3 * 24 * 60, start + 11 * 24 * 60, 17):
        assert days(minute) == datetime.datetime.fromtimestamp(minute * 60, zone).date()
