import pytest

from tests.factories import CitizenFactory, bookable_volunteer


@pytest.fixture(autouse=True)
def _frozen_clock(frozen_now):
    """Thursday 26 November 2026, 10:00 in Brussels, for every appointment test."""
    return frozen_now


@pytest.fixture
def vera(municipality_a, digipunt_a):
    """Speaks Dutch, helps with taxes and banking."""
    return bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes", "banking"], username="vera")


@pytest.fixture
def victor(municipality_a, digipunt_a):
    """Speaks Dutch and French, helps with anything."""
    return bookable_volunteer(
        municipality_a, [digipunt_a], languages=["nl", "fr"], generalist=True, username="victor"
    )


@pytest.fixture
def citizen_a(municipality_a):
    return CitizenFactory(municipality=municipality_a, phone="+32470000001", name="An Peeters")


@pytest.fixture
def taxes(db):
    from helpdesk.models import Topic

    return Topic.objects.get(code="taxes")


@pytest.fixture
def at_the_counter(time_machine):
    """Monday 30 November 2026, 10:05 in Brussels: the 10:00 appointments (the factory's default)
    have started, so they can be checked in or marked as missed."""
    import datetime
    import zoneinfo

    moment = datetime.datetime(2026, 11, 30, 10, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    time_machine.move_to(moment, tick=False)
    return moment
