"""Three times that differ: first free, another part of the day, another day (or place);
adjacent half-hours only when nothing else is free."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest

from conversations import offers
from conversations.models import Conversation

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def slot(day, hour, minute=0, place=1):
    start = datetime.datetime(2026, 11, day, hour, minute, tzinfo=BRUSSELS)
    return SimpleNamespace(start=start, digipunt=SimpleNamespace(pk=place))


def test_first_then_another_part_of_the_day_then_another_day():
    candidates = [slot(26, 9), slot(26, 9, 30), slot(26, 10), slot(26, 14), slot(27, 9)]
    picked = offers.pick(candidates, place_chosen=True)
    assert [(s.start.day, s.start.hour) for s in picked] == [(26, 9), (26, 14), (27, 9)]


def test_adjacent_half_hours_only_when_nothing_else_is_free():
    candidates = [slot(26, 9), slot(26, 9, 30), slot(26, 10), slot(26, 10, 30)]
    picked = offers.pick(candidates, place_chosen=True)
    assert [s.start.minute for s in picked] == [0, 30, 0]


def test_another_place_when_no_other_day_and_no_place_chosen():
    candidates = [slot(26, 9), slot(26, 9, 30), slot(26, 14), slot(26, 15, place=2)]
    picked = offers.pick(candidates, place_chosen=False)
    assert {s.digipunt.pk for s in picked} == {1, 2}


def test_fewer_candidates_than_three():
    assert offers.pick([], place_chosen=True) == []
    assert len(offers.pick([slot(26, 9)], place_chosen=True)) == 1


@pytest.mark.django_db
def test_the_sms_menu_offers_times_that_differ(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    phone("belastingen")
    starts = [datetime.datetime.fromisoformat(s) for s, _p in Conversation.objects.get().data["slots"]]
    assert len(starts) == 3
    assert len({offers.part_of_day(s) for s in starts}) >= 2
    assert len({s.date() for s in starts}) >= 2
