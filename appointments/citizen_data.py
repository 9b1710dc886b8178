"""What appointments, walk-ins and the waitlist hold on a citizen (see helpdesk.citizen_data).

Appointments, walk-ins and waitlist entries are what the statistics count: they are never
deleted, only unlinked from the person, with their free text blanked.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from appointments import lifecycle
from appointments.models import Appointment, AppointmentEvent, WaitlistEntry, WalkIn
from helpdesk import locks
from helpdesk.citizen_data import Holder
from helpdesk.models import Municipality

UPCOMING = (Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN)
OPEN_WAITLIST = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


def _iso(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def upcoming_appointments(citizen, now=None):
    """What an erasure cancels: booked appointments still ahead. (One already checked in goes
    on: the citizen is at the desk; it simply loses its link to them.)"""
    now = now or timezone.now()
    return citizen.appointments.filter(status=Appointment.Status.BOOKED, end__gt=now).select_related(
        "digipunt", "topic"
    )


def export(citizen) -> dict:
    appointments = citizen.appointments.select_related("digipunt", "topic").order_by("start")
    return {
        "appointments": [
            {
                "start": _iso(a.start),
                "end": _iso(a.end),
                "digipunt": a.digipunt.name,
                "topic": a.topic.code,
                "status": a.status,
                "channel": a.channel,
                "language": a.language,
                "notes": a.notes,
                "created_at": _iso(a.created_at),
            }
            for a in appointments
        ],
        "waitlist": [
            {"topic": w.topic.code, "status": w.status, "created_at": _iso(w.created_at)}
            for w in citizen.waitlist_entries.select_related("topic").order_by("created_at")
        ],
        "walk_ins": [
            {"day": w.day.isoformat(), "name": w.name, "status": w.status, "digipunt": w.digipunt.name}
            for w in citizen.walk_ins.select_related("digipunt").order_by("arrived_at")
        ],
    }


def pending(citizen, now=None) -> list[str]:
    return [
        _("Appointment %(start)s, %(topic)s, %(digipunt)s will be cancelled")
        % {
            "start": date_format(timezone.localtime(a.start), "D d/m/Y H:i"),
            "topic": a.topic.name,
            "digipunt": a.digipunt.name,
        }
        for a in upcoming_appointments(citizen, now).order_by("start")
    ]


def release(citizen, *, by=None, now) -> dict:
    cancelled = 0
    # All at once, so that cancelling one after another keeps the lock order; then read again:
    # staff may have checked one in meanwhile (the citizen's lock does not stop that).
    locks.lock(*upcoming_appointments(citizen, now).order_by("pk"))
    for appointment in upcoming_appointments(citizen, now).order_by("pk"):
        # One by one through the lifecycle: it takes the booking locks and frees the volunteer
        # and the desk exactly as any cancellation does.
        lifecycle.cancel(appointment, by=by, reason=_("Citizen data erased"), channel="", now=now)
        cancelled += 1
    return {"appointments_cancelled": cancelled}


def erase(citizen, *, now) -> dict:
    appointments = Appointment.objects.filter(citizen=citizen)
    # Staff's free text about the visit: the reason given for a cancellation, a no-show...
    AppointmentEvent.objects.filter(appointment__in=appointments.values("pk")).exclude(note="").update(
        note=""
    )
    entries = WaitlistEntry.objects.filter(citizen=citizen)
    entries.filter(status__in=OPEN_WAITLIST).update(status=WaitlistEntry.Status.WITHDRAWN)
    return {
        "appointments": appointments.update(citizen=None, notes="", cancel_reason=""),
        "walk_ins": WalkIn.objects.filter(citizen=citizen).update(citizen=None, name=""),
        "waitlist_entries": entries.update(citizen=None),
    }


def keeps(now):
    # Not NULL: "NOT IN" a list holding NULL matches nothing at all.
    return Appointment.objects.filter(status__in=UPCOMING, end__gt=now, citizen__isnull=False).values(
        "citizen_id"
    )


def purge(now) -> dict:
    notes = 0
    for municipality in Municipality.objects.order_by("pk"):
        cutoff = now - datetime.timedelta(days=municipality.citizen_retention_days)
        old = Appointment.objects.filter(digipunt__municipality=municipality, end__lt=cutoff)
        notes += old.exclude(notes="", cancel_reason="").update(notes="", cancel_reason="")
        notes += (
            AppointmentEvent.objects.filter(appointment__in=old.values("pk")).exclude(note="").update(note="")
        )
    names_cutoff = (now - datetime.timedelta(days=settings.WALK_IN_NAME_RETENTION_DAYS)).date()
    names = WalkIn.objects.filter(day__lt=names_cutoff).exclude(name="").update(name="")
    return {"appointment_notes": notes, "walk_in_names": names}


HOLDER = Holder(
    name="appointments",
    export=export,
    pending=pending,
    release=release,
    erase=erase,
    purge=purge,
    keeps=keeps,
)
