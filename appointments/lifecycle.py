"""What can happen to an appointment after it is booked, and who did it when.

booked → checked_in → completed; booked → no_show; booked → cancelled. Anything else is refused
(HTTP 409). Reschedule = cancel + book in one transaction, keeping the old one as history.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments import booking, signals, waitlist
from appointments.models import Appointment, AppointmentEvent
from helpdesk import locks
from volunteers.notify import ASSIGNED, CANCELLED, MOVED, notify_volunteer

Status = Appointment.Status
ALLOWED = {
    Status.BOOKED: {Status.CHECKED_IN, Status.NO_SHOW, Status.CANCELLED},
    Status.CHECKED_IN: {Status.COMPLETED},
}
ACTIONS = {
    Status.CHECKED_IN: "checked_in",
    Status.COMPLETED: "completed",
    Status.NO_SHOW: "no_show",
    Status.CANCELLED: "cancelled",
}


# Check-in opens this long before the start; "did not come" only once the start has passed.
CHECK_IN_EARLY = datetime.timedelta(hours=1)


class InvalidTransition(Exception):
    """HTTP 409: e.g. completing an appointment that was cancelled."""

    def __init__(self, appointment: Appointment, to: str, message: str = ""):
        self.message = message or _("An appointment that is “%(current)s” cannot become “%(target)s”.") % {
            "current": appointment.get_status_display(),
            "target": Status(to).label,
        }
        super().__init__(self.message)


def allowed_from(appointment: Appointment, to: str) -> datetime.datetime | None:
    """The earliest moment this transition is allowed by the clock (None: no time rule). The
    counter shows a button disabled until then, with this time as its hint."""
    if to == Status.CHECKED_IN:
        return appointment.start - CHECK_IN_EARLY
    if to == Status.NO_SHOW:
        return appointment.start
    return None


def too_early(appointment: Appointment, to: str, now: datetime.datetime) -> bool:
    opens = allowed_from(appointment, to)
    return opens is not None and now < opens


def _check_time(appointment: Appointment, to: str, now: datetime.datetime) -> None:
    if to == Status.CHECKED_IN and too_early(appointment, to, now):
        raise InvalidTransition(appointment, to, _("Check-in opens an hour before the appointment."))
    if to == Status.NO_SHOW and too_early(appointment, to, now):
        raise InvalidTransition(
            appointment, to, _("An appointment can be marked as missed once it has started.")
        )


def change_status(
    appointment: Appointment,
    to: str,
    *,
    by=None,
    reason: str = "",
    channel: str = "",
    now: datetime.datetime | None = None,
    notify: bool = True,
    offer_to_waitlist: bool = True,
) -> Appointment:
    now = now or timezone.now()
    with transaction.atomic():
        locks.lock(appointment)
        current = Appointment.objects.select_related("volunteer__user", "digipunt", "topic").get(
            pk=appointment.pk
        )
        if to not in ALLOWED.get(current.status, set()):
            raise InvalidTransition(current, to)
        _check_time(current, to, now)
        previous = current.status
        current.status = to
        current.sequence += 1
        if to == Status.CHECKED_IN:
            current.checked_in_at = now
        elif to == Status.COMPLETED:
            current.completed_at = now
        elif to == Status.CANCELLED:
            current.cancelled_at = now
            current.cancel_reason = reason[:200]
        current.save()
        actor = by if getattr(by, "is_authenticated", False) else None
        AppointmentEvent.objects.create(
            appointment=current, action=ACTIONS[to], at=now, by=actor, channel=channel, note=reason[:200]
        )
        signals.appointment_status_changed.send(Appointment, appointment=current, previous=previous, now=now)
        if to == Status.CANCELLED:
            signals.appointment_cancelled.send(Appointment, appointment=current, now=now)
        if to in (Status.CANCELLED, Status.NO_SHOW) and notify:
            notify_volunteer(
                current.volunteer,
                CANCELLED,
                start=current.start,
                digipunt=current.digipunt,
                topic=current.topic,
            )
        if to == Status.CANCELLED and offer_to_waitlist:
            waitlist.offer_freed_slot(current, now=now)
    return current


def cancel(appointment, *, by=None, reason="", channel="", now=None, notify=True) -> Appointment:
    return change_status(
        appointment, Status.CANCELLED, by=by, reason=reason, channel=channel, now=now, notify=notify
    )


def reschedule(
    appointment: Appointment, *, start: datetime.datetime, digipunt=None, by=None, channel="", now=None
) -> Appointment:
    """Move an appointment: the old one is cancelled ("rescheduled") and a new one booked, both or
    neither. The volunteer hears "moved" when they keep it, else cancelled + assigned."""
    now = now or timezone.now()
    if appointment.citizen_id is None:
        # Erased or purged: there is nobody to book the new time for.
        raise InvalidTransition(
            appointment, Status.CANCELLED, _("This appointment has no citizen any more and cannot be moved.")
        )
    with transaction.atomic():
        # Everything the new booking will lock, and the appointment, in one call: the appointment
        # sorts after the booking's rows, so taking it first would break the lock order.
        target = digipunt or appointment.digipunt
        locks.lock(
            *booking.booking_locks(appointment.citizen, target, appointment.topic, appointment.language),
            appointment,
        )
        old = change_status(
            appointment,
            Status.CANCELLED,
            by=by,
            reason=_("Rescheduled"),
            channel=channel,
            now=now,
            notify=False,
            offer_to_waitlist=False,
        )
        new = booking.book(
            citizen=old.citizen,
            digipunt=digipunt or old.digipunt,
            topic=old.topic,
            start=start,
            language=old.language,
            channel=old.channel,
            by=by,
            notes=old.notes,
            now=now,
            rescheduled_from=old,
            prelocked=True,
        )
        if new.volunteer_id == old.volunteer_id:
            notify_volunteer(
                new.volunteer,
                MOVED,
                start=new.start,
                digipunt=new.digipunt,
                topic=new.topic,
                previous_start=old.start,
                note=new.notes,
            )
        else:
            notify_volunteer(
                old.volunteer, CANCELLED, start=old.start, digipunt=old.digipunt, topic=old.topic
            )
            notify_volunteer(
                new.volunteer,
                ASSIGNED,
                start=new.start,
                digipunt=new.digipunt,
                topic=new.topic,
                note=new.notes,
            )
        signals.appointment_rescheduled.send(Appointment, old=old, new=new, now=now)
        # Only now is it known what of the old time is really free.
        waitlist.offer_freed_slot(old, now=now)
    return new
