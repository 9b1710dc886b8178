"""Medians computed in the database (help_requests.medians): percentile_cont on PostgreSQL, the
middle row(s) by ROW_NUMBER on SQLite. Run on both: DATABASE_URL=postgres://... for PostgreSQL."""

import datetime
import statistics

import pytest
from django.db.models import F

from appointments.models import Appointment, WalkIn
from help_requests import stats
from help_requests.medians import SecondsBetween, median
from tests.factories import AppointmentFactory

DAY = datetime.date(2026, 11, 24)
OPEN = datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC)


def walk_ins(digipunt, taxes, waits_in_minutes):
    """One called ticket per wait, and one still waiting (never counted)."""
    for number, minutes in enumerate(waits_in_minutes, start=1):
        WalkIn.objects.create(
            digipunt=digipunt, day=DAY, number=number, topic=taxes, language="nl",
            arrived_at=OPEN, called_at=OPEN + datetime.timedelta(minutes=minutes), status="served",
        )  # fmt: skip
    WalkIn.objects.create(digipunt=digipunt, day=DAY, number=99, topic=taxes, language="nl", arrived_at=OPEN)


def wait_median(digipunt):
    return median(
        WalkIn.objects.filter(digipunt=digipunt, called_at__isnull=False),
        SecondsBetween(F("called_at"), F("arrived_at")),
    )


@pytest.mark.parametrize(
    "waits",
    [[7], [5, 1, 30], [4, 10, 2, 40], [3, 3, 9, 9], [12, 0.5, 7, 7, 100, 2], [1.25, 2.75]],
    ids=["one", "odd", "even", "even-ties", "six", "fractions"],
)
def test_the_median_is_the_middle_row_or_the_mean_of_the_middle_two(digipunt_a, taxes, waits):
    walk_ins(digipunt_a, taxes, waits)
    assert wait_median(digipunt_a) == pytest.approx(statistics.median(waits) * 60, abs=0.01)


def test_no_rows_have_no_median(digipunt_a, taxes):
    walk_ins(digipunt_a, taxes, [])
    assert wait_median(digipunt_a) is None


def test_the_median_leaves_out_other_rows(digipunt_a, digipunt_b, taxes):
    walk_ins(digipunt_a, taxes, [1, 2, 3])
    walk_ins(digipunt_b, taxes, [50, 60])
    assert wait_median(digipunt_a) == pytest.approx(120, abs=0.01)


def test_dashboard_medians_come_from_the_database(municipality_a, digipunt_a, taxes, frozen_now):
    walk_ins(digipunt_a, taxes, [4, 10, 2, 40])
    for days_ahead in (1, 2, 6):
        appointment = AppointmentFactory(digipunt=digipunt_a, start=OPEN)
        Appointment.objects.filter(pk=appointment.pk).update(
            created_at=OPEN - datetime.timedelta(days=days_ahead)
        )
    cancelled = AppointmentFactory(digipunt=digipunt_a, start=OPEN, status=Appointment.Status.CANCELLED)
    Appointment.objects.filter(pk=cancelled.pk).update(created_at=OPEN - datetime.timedelta(days=60))
    period = stats.Period.ending(None, frozen_now.date())
    assert stats.walk_in_figures([municipality_a.pk], period)["median_wait_minutes"] == 7.0
    assert stats.appointment_figures([municipality_a.pk], period)["median_lead_time_hours"] == 48.0


def test_no_appointments_have_no_lead_time(municipality_a, frozen_now):
    period = stats.Period.ending(None, frozen_now.date())
    assert stats.appointment_figures([municipality_a.pk], period)["median_lead_time_hours"] is None
    assert stats.walk_in_figures([municipality_a.pk], period)["median_wait_minutes"] is None
