"""What a volunteer sees of their own days: shifts and appointments in time order, today first
and then only the days with something on them, and when a visit may be logged.

Plain functions over rows already fetched (appointments/schedule_views.py fetches them), so the
rules are tested without pages.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from appointments.models import Appointment


@dataclass
class Entry:
    """One line of a day: a shift (`shift`) or an appointment (`appointment`)."""

    start: datetime.datetime
    end: datetime.datetime
    shift: object = None
    appointment: Appointment | None = None
    can_log: bool = False
    logged: bool = False


@dataclass
class Day:
    day: datetime.date
    is_today: bool
    entries: list[Entry]


def is_logged(appointment: Appointment) -> bool:
    # The help request points at the appointment (help_requests sits above appointments, so this
    # reads the reverse relation instead of importing the model).
    return getattr(appointment, "help_request", None) is not None


def can_log(appointment: Appointment, now: datetime.datetime) -> bool:
    """ "Log the help" belongs to a visit that has started, still counts (booked, checked in or
    done; not cancelled, not a no-show) and has no help logged yet."""
    return (
        appointment.start <= now and appointment.status in Appointment.ACTIVE and not is_logged(appointment)
    )


def appointment_entry(appointment: Appointment, now: datetime.datetime) -> Entry:
    return Entry(
        start=appointment.start,
        end=appointment.end,
        appointment=appointment,
        can_log=can_log(appointment, now),
        logged=is_logged(appointment),
    )


def days(shifts, appointments, *, today: datetime.date, now: datetime.datetime) -> list[Day]:
    """Today (always, even when empty), then each later day with a shift or an appointment that
    still counts; within a day by start time, a shift before the appointments that begin with it."""
    by_day: dict[datetime.date, list[Entry]] = {today: []}
    for shift in shifts:
        if shift.day >= today:
            by_day.setdefault(shift.day, []).append(Entry(start=shift.start, end=shift.end, shift=shift))
    for appointment in appointments:
        day = timezone.localtime(appointment.start).date()
        if day >= today and appointment.is_active:
            by_day.setdefault(day, []).append(appointment_entry(appointment, now))
    return [
        Day(
            day=day,
            is_today=day == today,
            entries=sorted(entries, key=lambda entry: (entry.start, entry.shift is None, entry.end)),
        )
        for day, entries in sorted(by_day.items())
    ]
