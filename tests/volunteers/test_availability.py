import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests.factories import AvailabilityFactory, ClosureFactory, DigipuntFactory
from volunteers.availability import shifts
from volunteers.models import Absence, Availability, Volunteer

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = datetime.date(2026, 11, 30)


def test_weekly_block_becomes_a_shift_on_each_matching_day(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    found = shifts([digibuddy.pk], MONDAY, MONDAY + datetime.timedelta(days=13))
    assert [s.day for s in found] == [MONDAY, MONDAY + datetime.timedelta(days=7)]
    assert found[0].start == datetime.datetime(2026, 11, 30, 9, tzinfo=BRUSSELS)
    assert found[0].hours == 3


def test_no_shift_on_a_public_holiday(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=4)
    christmas = datetime.date(2026, 12, 25)  # a Friday
    assert shifts([digibuddy.pk], christmas, christmas) == []


def test_no_shift_during_a_closure_or_an_absence(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    ClosureFactory(digipunt=digipunt_a, start_date=MONDAY, end_date=MONDAY)
    Absence.objects.create(
        volunteer=digibuddy,
        start_date=MONDAY + datetime.timedelta(days=7),
        end_date=MONDAY + datetime.timedelta(days=8),
    )
    found = shifts([digibuddy.pk], MONDAY, MONDAY + datetime.timedelta(days=20))
    assert [s.day for s in found] == [MONDAY + datetime.timedelta(days=14)]


def test_shift_is_clipped_to_opening_hours_that_changed_later(digibuddy, digipunt_a):
    AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, starts=datetime.time(9), ends=datetime.time(12)
    )
    digipunt_a.opening_hours.filter(weekday=0, opens=datetime.time(9)).update(opens=datetime.time(10))
    (shift,) = shifts([digibuddy.pk], MONDAY, MONDAY)
    assert shift.start.time() == datetime.time(10)


def test_paused_volunteers_have_no_shifts(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    Volunteer.objects.filter(pk=digibuddy.pk).update(status=Volunteer.Status.PAUSED)
    assert shifts([digibuddy.pk], MONDAY, MONDAY) == []


def test_shifts_keep_local_time_across_dst(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=4)  # Fridays 09:00
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=1)  # Tuesdays 09:00
    # Summer time starts on Sunday 28 March 2027 (Easter; Monday the 29th is a holiday).
    before, after = shifts([digibuddy.pk], datetime.date(2027, 3, 26), datetime.date(2027, 3, 30))
    assert (before.start.hour, after.start.hour) == (9, 9)
    assert before.start.utcoffset() == datetime.timedelta(hours=1)
    assert after.start.utcoffset() == datetime.timedelta(hours=2)
    assert before.start.astimezone(datetime.UTC).hour == 8
    assert after.start.astimezone(datetime.UTC).hour == 7


def test_shift_query_count_does_not_grow_with_volunteers_or_days(
    municipality_a, django_assert_max_num_queries
):
    digipunt = DigipuntFactory(municipality=municipality_a)
    from tests.factories import VolunteerFactory

    volunteers = [VolunteerFactory(municipality=municipality_a, digipunten=[digipunt]) for _ in range(5)]
    for volunteer in volunteers:
        for day in range(5):
            AvailabilityFactory(volunteer=volunteer, digipunt=digipunt, weekday=day)
    with django_assert_max_num_queries(5):
        found = shifts([v.pk for v in volunteers], MONDAY, MONDAY + datetime.timedelta(days=60))
    assert len(found) > 100


def test_availability_outside_opening_hours_is_refused(digibuddy, digipunt_a):
    block = Availability(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, starts=datetime.time(8), ends=datetime.time(10)
    )
    with pytest.raises(ValidationError, match="openingsuren"):
        block.full_clean()
    weekend = Availability(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=6, starts=datetime.time(10), ends=datetime.time(11)
    )
    with pytest.raises(ValidationError):
        weekend.full_clean()


def test_overlapping_block_of_the_same_volunteer_is_refused(digibuddy, digipunt_a, municipality_a):
    other_place = DigipuntFactory(municipality=municipality_a)
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    overlapping = Availability(
        volunteer=digibuddy, digipunt=other_place, weekday=0, starts=datetime.time(11), ends=datetime.time(12)
    )
    with pytest.raises(ValidationError, match="overlapt"):
        overlapping.full_clean()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint")
def test_postgres_refuses_overlapping_availability(digibuddy, digipunt_a):
    AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Availability.objects.create(
            volunteer=digibuddy,
            digipunt=digipunt_a,
            weekday=0,
            starts=datetime.time(10),
            ends=datetime.time(11),
        )


def test_absence_ending_before_it_starts_is_refused(digibuddy):
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(
            volunteer=digibuddy, start_date=MONDAY, end_date=MONDAY - datetime.timedelta(days=1)
        )


def test_removing_a_block_that_counted_ends_it_and_keeps_the_hours(digibuddy, digipunt_a):
    from volunteers.blocks import remove_block

    block = AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, valid_from=datetime.date(2026, 10, 1)
    )
    remove_block(block, today=datetime.date(2026, 11, 26))
    block.refresh_from_db()
    assert block.valid_until == datetime.date(2026, 11, 25)
    found = shifts([digibuddy.pk], datetime.date(2026, 11, 1), datetime.date(2026, 12, 31))
    assert [s.day for s in found] == [datetime.date(2026, 11, d) for d in (2, 9, 16, 23)]
    assert not Availability.objects.current().exists()


def test_removing_a_block_entered_today_deletes_it(digibuddy, digipunt_a):
    from volunteers.blocks import remove_block

    block = AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=0)
    remove_block(block)
    assert not Availability.objects.exists()


def test_an_ended_block_does_not_block_a_new_one(digibuddy, digipunt_a):
    from volunteers.blocks import add_block, remove_block

    old = AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, valid_from=datetime.date(2026, 9, 1)
    )
    remove_block(old)
    add_block(
        Availability(
            volunteer=digibuddy,
            digipunt=digipunt_a,
            weekday=0,
            starts=datetime.time(9),
            ends=datetime.time(11),
        )
    )
    assert Availability.objects.current().count() == 1


def test_no_future_shifts_at_a_digipunt_no_longer_served(digibuddy, digipunt_a):
    AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, valid_from=datetime.date(2026, 10, 1)
    )
    digibuddy.digipunten.remove(digipunt_a)
    found = shifts([digibuddy.pk], datetime.date(2026, 11, 1), datetime.date(2026, 12, 7))
    assert [s.day for s in found] == [datetime.date(2026, 11, d) for d in (2, 9, 16, 23)]


def test_set_digipunten_ends_blocks_at_removed_digipunten(digibuddy, digipunt_a, municipality_a):
    from volunteers.blocks import set_digipunten

    other = DigipuntFactory(municipality=municipality_a)
    digibuddy.digipunten.add(other)
    AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=0, valid_from=datetime.date(2026, 10, 1)
    )
    set_digipunten(digibuddy, [other], editable=[digipunt_a, other])
    assert list(digibuddy.digipunten.all()) == [other]
    assert not Availability.objects.current().exists()
