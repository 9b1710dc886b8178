"""Wishes for a day, part of day or hour, and picking the offered time that fits them."""

import datetime

import pytest

from conversations.understanding import AFTERNOON, MORNING, Wish, choose, fits, read
from tests.conftest import BRUSSELS, FROZEN_NOW

TUESDAY = datetime.date(2026, 12, 1)
FRIDAY = datetime.date(2026, 11, 27)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


# Offered: Friday 10:00, Tuesday 10:30, Tuesday 14:00 (one in UTC, as the dialogue may have them).
OFFERED = [at(FRIDAY, 10).astimezone(datetime.UTC), at(TUESDAY, 10, 30), at(TUESDAY, 14)]


def wish(body: str) -> Wish | None:
    return read(body, now=FROZEN_NOW).wish


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("dinsdag", Wish(day=TUESDAY)),
        ("Dinsdagnamiddag.", Wish(day=TUESDAY, part=AFTERNOON)),
        ("om 10u", Wish(hour=10)),
        ("Om tien uur.", Wish(hour=10)),
        ("om 14u30", Wish(hour=14, minute=30)),
        ("om 2u", Wish(hour=14)),  # nobody is helped at 2 at night
        ("liever in de namiddag", Wish(part=AFTERNOON)),
        ("later", Wish(later=True)),
        ("een andere dag", Wish(other_day=True)),
        ("volgende week", Wish(next_week=True)),
        ("morgenvoormiddag", Wish(day=FRIDAY, part=MORNING)),
        ("mardi matin", Wish(day=TUESDAY, part=MORNING)),
        ("après-demain", Wish(day=datetime.date(2026, 11, 28))),
        ("vers 14h30", Wish(hour=14, minute=30)),
        ("le 3 décembre", Wish(day=datetime.date(2026, 12, 3))),
        ("in the afternoon", Wish(part=AFTERNOON)),
        ("2morrow", Wish(day=FRIDAY)),
        ("at 3 pm", Wish(hour=15)),
    ],
)
def test_wishes(body, expected):
    assert wish(body) == expected


@pytest.mark.parametrize("body", ["ik wil een afspraak", "1", "ja", "mijn gsm", "bel mij", ""])
def test_no_wish(body):
    assert wish(body) is None


def test_days_count_from_now_in_brussels():
    """Just before midnight UTC on Monday it is already Tuesday in Brussels: "morgen" is Wednesday."""
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert read("morgen", now=late).wish.day == datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("body", "choice"),
    [
        ("vrijdag", 1),
        ("dinsdag", 2),
        ("dinsdagnamiddag", 3),
        ("om 10u", 1),  # 10:00 on the hour wins over 10:30
        ("om 10u30", 2),
        ("in de namiddag", 3),
        ("mardi après-midi", 3),
        ("tuesday morning", 2),
        ("om 11u", None),
        ("woensdag", None),
        ("later", None),  # the dialogue offers later times
        ("een andere dag", None),
        ("volgende week", 2),  # Tuesday is in next week
    ],
)
def test_choose_picks_the_offer_that_fits(body, choice):
    assert choose(wish(body), OFFERED, now=FROZEN_NOW) == choice


def test_choose_without_a_wish_picks_nothing():
    assert choose(None, OFFERED) is None
    assert choose(Wish(), OFFERED) is None


def test_fits_finds_new_times_for_later_and_another_day():
    later, other = wish("later"), wish("een andere dag")
    assert fits(later, at(TUESDAY, 15), OFFERED)
    assert not fits(later, at(TUESDAY, 9), OFFERED)
    assert fits(other, at(datetime.date(2026, 12, 2), 10), OFFERED)
    assert not fits(other, at(TUESDAY, 16), OFFERED)


def test_next_week_is_the_calendar_week_after_now():
    next_week = wish("volgende week")
    assert fits(next_week, at(datetime.date(2026, 11, 30), 10), now=FROZEN_NOW)
    assert not fits(next_week, at(FRIDAY, 10), now=FROZEN_NOW)
    assert not fits(next_week, at(datetime.date(2026, 12, 7), 10), now=FROZEN_NOW)
