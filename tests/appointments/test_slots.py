import datetime
import zoneinfo

import pytest
import time_machine

from appointments.slots import free_slots, grid_starts
from helpdesk.models import OpeningHours
from tests.factories import (
    AppointmentFactory,
    CitizenFactory,
    ClosureFactory,
    DigipuntFactory,
    bookable_volunteer,
)

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = datetime.date(2026, 11, 30)


def local(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def slots_on(day, topic, *, language="nl", digipunt, now, citizen=None):
    return free_slots(
        topic=topic,
        language=language,
        start_date=day,
        end_date=day,
        now=now,
        digipunten=[digipunt],
        citizen=citizen,
    )


def test_slots_follow_opening_hours_on_the_grid(vera, digipunt_a, taxes, frozen_now):
    starts = [s.start for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)]
    # Taxes take 45 minutes on a 30-minute grid: 09:00..11:00 and 13:00..16:00.
    assert starts[0] == local(MONDAY, 9)
    assert local(MONDAY, 11) in starts
    assert local(MONDAY, 11, 30) not in starts  # would end 12:15, after closing
    assert local(MONDAY, 16) in starts
    assert local(MONDAY, 16, 30) not in starts
    assert all(
        (s.end - s.start) == datetime.timedelta(minutes=45)
        for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)
    )


def test_lead_time_and_horizon(vera, digipunt_a, taxes, frozen_now):
    today = frozen_now.date()
    starts = [s.start for s in slots_on(today, taxes, digipunt=digipunt_a, now=frozen_now)]
    assert min(starts) >= frozen_now + datetime.timedelta(minutes=digipunt_a.lead_time_minutes)
    beyond = today + datetime.timedelta(days=digipunt_a.booking_horizon_days + 1)
    assert (
        free_slots(
            topic=taxes,
            language="nl",
            start_date=beyond,
            end_date=beyond,
            now=frozen_now,
            digipunten=[digipunt_a],
        )
        == []
    )


def test_language_and_topic_decide_who_can_help(vera, victor, digipunt_a, taxes, frozen_now):
    from helpdesk.models import Topic

    health = Topic.objects.get(code="health")
    assert {s.volunteer_ids for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)} == {
        (vera.pk, victor.pk)
    }
    # Only Victor speaks French; only Victor (a generalist) helps with health.
    assert {
        s.volunteer_ids for s in slots_on(MONDAY, taxes, language="fr", digipunt=digipunt_a, now=frozen_now)
    } == {(victor.pk,)}
    assert {s.volunteer_ids for s in slots_on(MONDAY, health, digipunt=digipunt_a, now=frozen_now)} == {
        (victor.pk,)
    }
    assert slots_on(MONDAY, taxes, language="ar", digipunt=digipunt_a, now=frozen_now) == []


def test_no_slots_on_holidays_closures_or_absences(vera, digipunt_a, taxes, frozen_now):
    from volunteers.models import Absence

    christmas = datetime.date(2026, 12, 25)
    assert slots_on(christmas, taxes, digipunt=digipunt_a, now=frozen_now) == []
    ClosureFactory(digipunt=digipunt_a, start_date=MONDAY, end_date=MONDAY)
    assert slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now) == []
    tuesday = MONDAY + datetime.timedelta(days=1)
    Absence.objects.create(volunteer=vera, start_date=tuesday, end_date=tuesday)
    assert slots_on(tuesday, taxes, digipunt=digipunt_a, now=frozen_now) == []


def test_desks_limit_parallel_appointments(vera, victor, digipunt_a, taxes, frozen_now):
    digipunt_a.desks = 1
    digipunt_a.save()
    AppointmentFactory(digipunt=digipunt_a, volunteer=vera, topic=taxes, start=local(MONDAY, 9))
    starts = [s.start for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)]
    assert local(MONDAY, 9) not in starts
    assert local(MONDAY, 9, 30) not in starts  # 09:00-09:45 still at the only desk
    assert local(MONDAY, 10) in starts


def test_a_busy_volunteer_is_not_offered(vera, digipunt_a, taxes, frozen_now):
    AppointmentFactory(digipunt=digipunt_a, volunteer=vera, topic=taxes, start=local(MONDAY, 9))
    assert local(MONDAY, 9) not in [
        s.start for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)
    ]


def test_cancelled_appointments_free_the_slot(vera, digipunt_a, taxes, frozen_now):
    AppointmentFactory(
        digipunt=digipunt_a, volunteer=vera, topic=taxes, start=local(MONDAY, 9), status="cancelled"
    )
    assert local(MONDAY, 9) in [s.start for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now)]


def test_citizen_own_appointments_are_left_out(vera, victor, digipunt_a, taxes, citizen_a, frozen_now):
    AppointmentFactory(
        digipunt=digipunt_a, volunteer=vera, topic=taxes, citizen=citizen_a, start=local(MONDAY, 9)
    )
    starts = [
        s.start for s in slots_on(MONDAY, taxes, digipunt=digipunt_a, now=frozen_now, citizen=citizen_a)
    ]
    assert local(MONDAY, 9) not in starts


def test_query_count_does_not_grow_with_days_volunteers_or_appointments(
    municipality_a, digipunt_a, taxes, frozen_now, django_assert_num_queries
):
    def count(days):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            free_slots(
                topic=taxes,
                language="nl",
                start_date=MONDAY,
                end_date=MONDAY + datetime.timedelta(days=days),
                now=frozen_now,
                municipality=municipality_a,
            )
        return len(captured)

    bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes"])
    small = count(1)
    for _ in range(5):
        volunteer = bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes"])
        AppointmentFactory(digipunt=digipunt_a, volunteer=volunteer, topic=taxes, start=local(MONDAY, 13))
    DigipuntFactory(municipality=municipality_a)
    assert count(27) == small


def test_grid_never_produces_times_that_do_not_exist():
    digipunt = DigipuntFactory.build(slot_minutes=30)
    spring_forward = datetime.date(2027, 3, 28)
    starts = [s for s, _ in grid_starts(digipunt, spring_forward, datetime.time(0), datetime.time(6), 30)]
    times = [s.strftime("%H:%M") for s in starts]
    assert "02:00" not in times
    assert "02:30" not in times
    assert times[:4] == ["00:00", "00:30", "01:00", "01:30"]
    assert times[4] == "03:00"
    assert len(set(times)) == len(times)


def test_durations_stay_real_across_the_autumn_change():
    digipunt = DigipuntFactory.build(slot_minutes=30)
    fall_back = datetime.date(2027, 10, 31)
    pairs = list(grid_starts(digipunt, fall_back, datetime.time(0), datetime.time(6), 60))
    # Aware datetimes in one zone subtract as wall-clock times; real durations need UTC.
    assert all(
        end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=1)
        for start, end in pairs
    )
    assert len({s.strftime("%H:%M") for s, _ in pairs}) == len(pairs)


@pytest.mark.parametrize(
    ("day", "expected_offset"),
    [
        (datetime.date(2027, 3, 26), 1),
        (datetime.date(2027, 3, 30), 2),
        (datetime.date(2027, 10, 29), 2),
        (datetime.date(2027, 11, 2), 1),
    ],
)
def test_slots_around_dst_changes_have_the_right_local_times(
    municipality_a, digipunt_a, taxes, day, expected_offset
):
    digipunt_a.booking_horizon_days = 365
    digipunt_a.save()
    bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes"])
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        from django.utils import timezone

        found = slots_on(day, taxes, digipunt=digipunt_a, now=timezone.now())
    assert found[0].start.strftime("%H:%M") == "09:00"
    assert found[0].start.utcoffset() == datetime.timedelta(hours=expected_offset)


def test_weekend_opening_on_the_spring_forward_night(municipality_a, taxes):
    place = DigipuntFactory(
        municipality=municipality_a, weekday_hours=False, booking_horizon_days=365, lead_time_minutes=0
    )
    OpeningHours.objects.create(digipunt=place, weekday=6, opens=datetime.time(0), closes=datetime.time(6))
    volunteer = bookable_volunteer(municipality_a, [], topics=["taxes"])
    volunteer.digipunten.add(place)
    from volunteers.models import Availability

    Availability.objects.create(
        volunteer=volunteer,
        digipunt=place,
        weekday=6,
        starts=datetime.time(0),
        ends=datetime.time(6),
        valid_from=datetime.date(2020, 1, 1),
    )
    # 26 March 2028 is a Sunday with the spring-forward change and no public holiday.
    with time_machine.travel(datetime.datetime(2028, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        from django.utils import timezone

        found = slots_on(datetime.date(2028, 3, 26), taxes, digipunt=place, now=timezone.now())
    times = [s.start.strftime("%H:%M") for s in found]
    assert "02:30" not in times
    assert "02:00" not in times
    assert "03:00" in times


def test_a_volunteers_weekly_limit_is_respected(vera, digipunt_a, taxes, frozen_now):
    vera.max_hours_per_week = 1
    vera.save()
    AppointmentFactory(digipunt=digipunt_a, volunteer=vera, topic=taxes, start=local(MONDAY, 9))  # 45 minutes
    # Another 45 minutes that week would pass the 1-hour limit; the next week is free again.
    assert slots_on(MONDAY + datetime.timedelta(days=1), taxes, digipunt=digipunt_a, now=frozen_now) == []
    assert slots_on(MONDAY + datetime.timedelta(days=7), taxes, digipunt=digipunt_a, now=frozen_now)


def test_the_plain_sql_read_of_the_appointments_matches_the_orm(vera, victor, digipunt_a, citizen_a):
    """appointments/consuming.py: every kind of part, each value behind its own placeholder."""
    from django.db.models import Q

    from appointments.consuming import Consuming
    from appointments.models import Appointment
    from appointments.slots import epoch_minutes

    monday = datetime.datetime(2026, 11, 30, tzinfo=BRUSSELS)
    day = datetime.timedelta(days=1)
    others = [CitizenFactory(municipality=digipunt_a.municipality, phone=f"+3247155500{i}") for i in range(4)]
    rows = [
        AppointmentFactory(
            digipunt=digipunt_a, citizen=others[0], volunteer=vera, start=monday + datetime.timedelta(hours=9)
        ),
        AppointmentFactory(digipunt=digipunt_a, citizen=others[1], volunteer=victor, start=monday + 2 * day),
        AppointmentFactory(digipunt=digipunt_a, citizen=others[2], volunteer=vera, start=monday + 9 * day),
        AppointmentFactory(digipunt=digipunt_a, citizen=citizen_a, volunteer=vera, start=monday - 30 * day),
        AppointmentFactory(
            digipunt=digipunt_a, citizen=others[3], volunteer=vera, start=monday, status="cancelled"
        ),
    ]
    query = Consuming()
    wanted = " OR ".join(
        [
            f"(({query.among('digipunt', [digipunt_a.pk], 'volunteer', [])}) "
            f"AND {query.during(monday, monday + day)})",
            f"({query.among('volunteer', [victor.pk])} AND {query.during(monday, monday + 7 * day)})",
            query.equals("citizen", citizen_a.pk),
        ]
    )
    found = query.rows(wanted, exclude=rows[0])
    expected = Appointment.objects.filter(
        Q(digipunt=digipunt_a, start__lt=monday + day, end__gt=monday)
        | Q(volunteer=victor, start__lt=monday + 7 * day, end__gt=monday)
        | Q(citizen=citizen_a),
        status__in=Appointment.ACTIVE,
    ).exclude(pk=rows[0].pk)
    # Times as whole epoch minutes (UTC), computed by the database.
    assert sorted(found) == sorted(
        (digipunt, volunteer, citizen, epoch_minutes(start), epoch_minutes(end))
        for digipunt, volunteer, citizen, start, end in expected.values_list(
            "digipunt_id", "volunteer_id", "citizen_id", "start", "end"
        )
    )
    assert len(found) == 2  # victor's of that week and the citizen's old one
    assert all(isinstance(start, int) and isinstance(end, int) for *_, start, end in found)
