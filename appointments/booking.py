"""Booking: the one function every channel (SMS, phone, counter, API) calls.

Lock, check, write, in one transaction (pretix's way). `booking_locks` names the rows a booking
at a digipunt needs (the citizen, the digipunt, the volunteers who could take it) and
helpdesk.locks takes them in the one fixed order, so concurrent bookings queue instead of racing
and no two channels can deadlock. Under the lock the slot is computed afresh from the
appointments that consume it. On PostgreSQL an exclusion constraint still refuses overlapping
appointments of one volunteer or citizen if anything above were wrong; SQLite serialises write
transactions (BEGIN IMMEDIATE). A lost race is a SlotTaken (HTTP 409), never a 500; so is a lock not
granted in time, since it means others are booking at that place right now.
"""

import dataclasses
import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments import booking_writes, schedule_snapshot, signals
from appointments.models import Appointment, AppointmentEvent, WaitlistEntry, new_booking_code
from appointments.slots import Slot, booking_window, free_slots, grid_starts, least_busy, search
from helpdesk import locks, sql
from helpdesk.localtime import local_zone
from helpdesk.models import Citizen, Digipunt, Topic
from helpdesk.sql import insert_statement
from privacy import audit
from volunteers.models import Volunteer
from volunteers.notify import ASSIGNED, notify_volunteer

ALTERNATIVES = 3
CODE_ATTEMPTS = 5  # new booking codes tried before a clash is reported as a lost race


class BookingError(Exception):
    """The request itself is wrong (HTTP 400): the message says what, `field` says where."""

    def __init__(self, message: str, field: str = "start"):
        super().__init__(message)
        self.message, self.field = message, field


class SlotTaken(Exception):
    """The slot is (no longer) free (HTTP 409); `alternatives` are the next free slots."""

    def __init__(self, message: str, alternatives: list[Slot] = ()):
        super().__init__(message)
        self.message, self.alternatives = message, list(alternatives)


# Test seam: a pause between check and write shows the race when locking is off (see the
# concurrency tests). Production never changes these.
LOCKING = True
after_check = None


def check_start(digipunt: Digipunt, topic: Topic, start: datetime.datetime, now: datetime.datetime) -> None:
    """Refuse a start that can never be a slot, with a message a person understands."""
    if timezone.is_naive(start):
        raise BookingError(_("Give the start with its time zone."))
    zone = local_zone()
    try:
        local = start.astimezone(zone)
        local + datetime.timedelta(days=400)  # far-off dates overflow here, not later
    except OverflowError as error:
        raise BookingError(_("This time is not valid.")) from error
    earliest, last_day = booking_window(digipunt, now)
    if start < now:
        raise BookingError(_("This time is in the past."))
    if start < earliest:
        raise BookingError(
            _("Book at least %(minutes)s minutes ahead.") % {"minutes": digipunt.lead_time_minutes}
        )
    if local.date() > last_day:
        raise BookingError(
            _("Appointments can be booked at most %(days)s days ahead.")
            % {"days": digipunt.booking_horizon_days}
        )
    week = schedule_snapshot.place(digipunt)  # opening hours and closures, cached
    reason = week.closed_reason(local.date())
    if reason:
        raise BookingError(_("The digipunt is closed that day (%(reason)s).") % {"reason": reason})
    minutes = topic.default_duration_minutes
    periods = [(_clock(opens), _clock(closes)) for opens, closes in week.hours.get(local.weekday(), ())]
    if not any(
        any(s == local for s, _ in grid_starts(digipunt, local.date(), opens, closes, minutes))
        for opens, closes in periods
    ):
        fits = any(
            opens <= local.time() and (local + datetime.timedelta(minutes=minutes)).time() <= closes
            for opens, closes in periods
        )
        if fits:
            second = (
                datetime.datetime(2000, 1, 1, 9) + datetime.timedelta(minutes=digipunt.slot_minutes)
            ).time()
            raise BookingError(
                _("Appointments start every %(minutes)s minutes (for example 09:00, %(second)s).")
                % {"minutes": digipunt.slot_minutes, "second": second.strftime("%H:%M")}
            )
        raise BookingError(_("Outside the opening hours of %(digipunt)s.") % {"digipunt": digipunt.name})


def _clock(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def next_slots(*, digipunt, topic, language, after, now, citizen=None, limit=ALTERNATIVES) -> list[Slot]:
    """The first free slots from `after` on, at this digipunt first, else elsewhere in its municipality."""
    day = after.astimezone(local_zone()).date()
    horizon = day + datetime.timedelta(days=digipunt.booking_horizon_days)
    for scope in ({"digipunten": [digipunt]}, {"municipality": digipunt.municipality}):
        found = [
            slot
            for slot in free_slots(
                topic=topic,
                language=language,
                start_date=day,
                end_date=horizon,
                now=now,
                citizen=citizen,
                **scope,
            )
            if slot.start >= after
        ]
        if found:
            return found[:limit]
    return []


def booking_locks(citizen: Citizen, digipunt: Digipunt, topic: Topic, language: str) -> list:
    """What a booking at this digipunt locks: the citizen, the digipunt and every volunteer who
    could take this topic in this language there. Locking them all up front (rather than the
    candidates of one slot, then whoever turned up free) keeps the order fixed. Who is eligible
    comes from the cached week: a volunteer added a moment ago waits for the next booking."""
    eligible = schedule_snapshot.for_municipality(digipunt.municipality_id).eligible(
        [digipunt.pk], topic.pk, language
    )
    return [citizen, digipunt, *(Volunteer(pk=pk) for pk in sorted(eligible))]


# One view of the week (and one cache read of its version) for the whole booking.
@schedule_snapshot.pinned()
def book(
    *,
    citizen: Citizen,
    digipunt: Digipunt,
    topic: Topic,
    start: datetime.datetime,
    language: str,
    channel: str,
    by=None,
    notes: str = "",
    now: datetime.datetime | None = None,
    rescheduled_from: Appointment | None = None,
    notify: bool = True,
    prelocked: bool = False,
) -> Appointment:
    """Book `citizen` at `start`; raise BookingError (400) or SlotTaken (409).

    The citizen gets an SMS confirmation (SMS bookings get it as the webhook's reply) and the
    volunteer an e-mail after commit; `notify=False` (demo data) tells nobody. Reschedules tell the
    volunteer themselves, and pass `prelocked`: they took this booking's locks already, with the
    appointment they move (see lifecycle.reschedule)."""
    now = now or timezone.now()
    if citizen.municipality_id != digipunt.municipality_id:
        raise BookingError(_("This citizen belongs to another municipality."), field="citizen")
    check_start(digipunt, topic, start, now)
    request = {
        "citizen": citizen,
        "digipunt": digipunt,
        "topic": topic,
        "start": start,
        "language": language,
        "channel": channel,
        "by": by,
        "notes": notes,
        "now": now,
        "rescheduled_from": rescheduled_from,
        "notify": notify,
        "prelocked": prelocked,
    }
    for attempt in range(CODE_ATTEMPTS):
        try:
            return _write(**request)
        except IntegrityError as error:
            # A new code that another appointment has (about one in a billion): the unique
            # constraint refused it and the transaction rolled back; try again with another.
            if _code_clash(error) and attempt + 1 < CODE_ATTEMPTS:
                continue
            # Otherwise the database constraint had the last word: someone was faster.
            raise SlotTaken(
                _("This time was just taken."),
                next_slots(
                    digipunt=digipunt, topic=topic, language=language, after=start, now=now, citizen=citizen
                ),
            ) from error
        except OperationalError as error:
            # Others booking at this place kept its rows locked past the timeout: the answer is the
            # next free times. A deadlock is not that (it would be a bug in the lock order), nor is
            # any other database error: those go on.
            if not locks.busy(error) or locks.is_deadlock(error):
                raise
            raise SlotTaken(
                _("This time was just taken."),
                next_slots(
                    digipunt=digipunt, topic=topic, language=language, after=start, now=now, citizen=citizen
                ),
            ) from error
        except SlotTaken as taken:
            taken.alternatives = next_slots(
                digipunt=digipunt, topic=topic, language=language, after=start, now=now, citizen=citizen
            )
            raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _write(
    *, citizen, digipunt, topic, start, language, channel, by, notes, now, rescheduled_from, notify, prelocked
) -> Appointment:
    """Lock, check and write one booking in one transaction."""
    with transaction.atomic():
        targets = booking_locks(citizen, digipunt, topic, language)
        locked = {volunteer.pk for volunteer in targets[2:]}
        if LOCKING and prelocked:
            # A volunteer added since the reschedule took its locks cannot be locked now
            # without breaking the order, so is not chosen.
            locked &= locks.held(Volunteer)
        elif LOCKING:
            # Named in the order bookings used to lock in; lock() sorts them by rank (the
            # citizen first). Tests switch locks.ORDERED off to show the deadlock that caused.
            locks.lock(*targets[1:], targets[0])
        # Under the lock, the truth: the appointments that consume the day (and the citizen's,
        # to keep a follow-up with the same volunteer), read afresh in one query.
        day = start.astimezone(local_zone()).date()
        found, busy = search(
            topic=topic,
            language=language,
            start_date=day,
            end_date=day,
            now=now,
            digipunten=[digipunt],
            citizen=citizen,
            citizen_history=True,
        )
        slot = next((slot for slot in found if slot.start == start), None)
        if slot is not None:
            # Only a volunteer locked above may be chosen (one added to the digipunt a moment
            # ago waits for the next booking).
            slot = dataclasses.replace(
                slot, volunteer_ids=tuple(v for v in slot.volunteer_ids if v in locked)
            )
        if slot is None or not slot.volunteer_ids:
            raise SlotTaken(_taken_message(citizen, start, topic))
        if after_check is not None:
            after_check()
        tell = notify and rescheduled_from is None
        # Two statements on PostgreSQL (appointments/booking_writes.py): the appointment with the
        # volunteer to tell, then all the rest, with the SMS and the e-mail its listeners queue.
        with audit.collected() as entries, sql.deferred() as queued:
            appointment = Appointment(
                # No look-up first: the unique constraint refuses a code in use, and book() retries.
                code=new_booking_code(),
                digipunt=digipunt,
                topic=topic,
                citizen=citizen,
                volunteer_id=least_busy(slot, busy),
                language=language,
                channel=channel,
                start=slot.start,
                end=slot.end,
                notes=notes,
                booked_by=by if getattr(by, "is_authenticated", False) else None,
                rescheduled_from=rescheduled_from,
            )
            volunteer = booking_writes.insert(
                appointment, volunteer_id=appointment.volunteer_id if tell else None
            )
            # Its event, its audit entry, the citizen's last contact and the waitlist entries it
            # serves (booked now: any entry for this need is served).
            writes = [
                insert_statement(
                    AppointmentEvent(
                        appointment=appointment,
                        action="booked",
                        at=now,
                        by=appointment.booked_by,
                        channel=channel,
                    )
                ),
                *(insert_statement(entry) for entry in entries),
                booking_writes.update(Citizen, {"last_contact_at": now}, pk=citizen.pk),
                booking_writes.update(
                    WaitlistEntry,
                    {"status": WaitlistEntry.Status.BOOKED},
                    citizen=citizen.pk,
                    topic=topic.pk,
                    status=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
                ),
            ]
            entries.clear()
            signals.appointment_booked.send(Appointment, appointment=appointment, now=now, notify=notify)
            if tell and volunteer is not None:
                appointment.volunteer = volunteer
                notify_volunteer(
                    appointment.volunteer,
                    ASSIGNED,
                    start=appointment.start,
                    digipunt=digipunt,
                    topic=topic,
                    note=appointment.notes,
                )
            sql.together([*writes, *queued])
            queued.clear()
    return appointment


def _code_clash(error: IntegrityError) -> bool:
    """True when the unique constraint on the booking code refused the row (PostgreSQL names the
    constraint, SQLite the column)."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""
    return "appointment_code" in constraint or "appointments_appointment.code" in str(error)


def _taken_message(citizen: Citizen, start: datetime.datetime, topic: Topic) -> str:
    end = start + datetime.timedelta(minutes=topic.default_duration_minutes)
    if Appointment.objects.filter(
        citizen=citizen, status__in=Appointment.ACTIVE, start__lt=end, end__gt=start
    ).exists():
        return _("This citizen already has an appointment at that time.")
    return _("This time is no longer free.")
