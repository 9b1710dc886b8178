"""The volunteer's days (appointments.volunteer_plan): today first, then only days with something
on them, in time order; "log the help" only on visits that have started and are not logged."""

import datetime

import pytest
from django.utils import timezone

from appointments.models import Appointment
from appointments.volunteer_plan import can_log, days
from help_requests.models import HelpRequest
from tests.factories import AppointmentFactory, VolunteerFactory
from volunteers.availability import Shift

pytestmark = pytest.mark.django_db

BRUSSELS = timezone.get_fixed_timezone(60)  # December: CET
TODAY = datetime.date(2026, 12, 1)  # a Tuesday
NOW = datetime.datetime(2026, 12, 1, 11, 0, tzinfo=BRUSSELS)


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=day_offset), datetime.time(hour, minute), tzinfo=BRUSSELS
    )


@pytest.fixture
def volunteer(digipunt_a):
    return VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a])


def appointment(volunteer, start, status=Appointment.Status.BOOKED):
    return AppointmentFactory(
        digipunt=volunteer.digipunten.first(), volunteer=volunteer, start=start, status=status
    )


def shift(volunteer, start, end):
    return Shift(
        volunteer_id=volunteer.pk,
        availability=None,
        digipunt=volunteer.digipunten.first(),
        day=timezone.localtime(start).date(),
        start=start,
        end=end,
    )


def logged(visit):
    HelpRequest.objects.create(
        municipality=visit.digipunt.municipality,
        digipunt=visit.digipunt,
        appointment=visit,
        date=TODAY,
        channel="counter",
        duration_minutes=20,
        outcome="solved",
        **HelpRequest.buckets(TODAY),
    )
    return Appointment.objects.select_related("help_request").get(pk=visit.pk)


def test_today_comes_first_even_when_empty_and_empty_days_are_left_out(volunteer):
    thursday = appointment(volunteer, at(2, 14))
    monday = shift(volunteer, at(6, 9), at(6, 12))
    plan = days([monday], [thursday], today=TODAY, now=NOW)
    assert [(d.day, d.is_today, len(d.entries)) for d in plan] == [
        (TODAY, True, 0),
        (TODAY + datetime.timedelta(days=2), False, 1),
        (TODAY + datetime.timedelta(days=6), False, 1),
    ]


def test_a_day_is_in_time_order_with_the_shift_before_the_appointments_it_holds(volunteer):
    late = appointment(volunteer, at(0, 10, 30))
    early = appointment(volunteer, at(0, 9))
    morning = shift(volunteer, at(0, 9), at(0, 12))
    afternoon = shift(volunteer, at(0, 13), at(0, 17))
    (today,) = days([afternoon, morning], [late, early], today=TODAY, now=NOW)
    assert [entry.shift or entry.appointment for entry in today.entries] == [morning, early, late, afternoon]


def test_cancelled_and_missed_appointments_leave_the_days(volunteer):
    cancelled = appointment(volunteer, at(1, 9), Appointment.Status.CANCELLED)
    missed = appointment(volunteer, at(0, 9), Appointment.Status.NO_SHOW)
    assert [d.day for d in days([], [cancelled, missed], today=TODAY, now=NOW)] == [TODAY]


def test_past_days_are_not_coming_days(volunteer):
    yesterday = appointment(volunteer, at(-1, 9), Appointment.Status.COMPLETED)
    assert [d.day for d in days([], [yesterday], today=TODAY, now=NOW)] == [TODAY]


@pytest.mark.parametrize(
    ("start", "status", "offered"),
    [
        (at(0, 10), Appointment.Status.BOOKED, True),  # started an hour ago, nobody checked in
        (at(0, 11), Appointment.Status.CHECKED_IN, True),  # starts this minute
        (at(0, 9), Appointment.Status.COMPLETED, True),  # done at the counter, help not logged yet
        (at(-3, 9), Appointment.Status.COMPLETED, True),  # an earlier day, still to log
        (at(0, 11, 1), Appointment.Status.BOOKED, False),  # not started yet
        (at(0, 14), Appointment.Status.CHECKED_IN, False),  # checked in early, not started
        (at(1, 9), Appointment.Status.BOOKED, False),  # tomorrow
        (at(0, 9), Appointment.Status.NO_SHOW, False),
        (at(0, 9), Appointment.Status.CANCELLED, False),
    ],
)
def test_the_log_link_rule(volunteer, start, status, offered):
    assert can_log(appointment(volunteer, start, status), NOW) is offered


def test_a_logged_visit_is_marked_logged_and_offers_no_link(volunteer):
    visit = logged(appointment(volunteer, at(0, 9), Appointment.Status.COMPLETED))
    assert can_log(visit, NOW) is False
    (today,) = days([], [visit], today=TODAY, now=NOW)
    (entry,) = today.entries
    assert entry.logged
    assert not entry.can_log
