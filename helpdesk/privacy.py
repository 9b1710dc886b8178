"""Personal data under the GDPR: a citizen's own copy (access), erasure, and the retention purge.

What is personal: the citizen row (phone, name, language), SMS texts and the numbers on them,
names at the counter, call-back numbers, and free-text notes. What is not: the counts the
statistics are made of (appointments and their status, help requests, walk-ins, waitlist entries
and unmet-demand events). Erasing therefore blanks or unlinks the first and never deletes the
second, so every statistic keeps its count.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments import lifecycle
from appointments.models import Appointment, AppointmentEvent, WaitlistEntry, WalkIn
from helpdesk import audit
from helpdesk.models import Citizen, HelpRequest, Municipality
from sms import optout
from sms.models import CallbackRequest, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

UPCOMING = (Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN)
OPEN_WAITLIST = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)
UNSENT = (OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING)


def find_citizen(municipality_ids, phone: str) -> Citizen | None:
    """The citizen with this number in one of the municipalities (None: all of them, which only
    a network admin may ask). The same number in two municipalities is two citizens."""
    citizens = Citizen.objects.filter(phone=phone)
    if municipality_ids is not None:
        citizens = citizens.filter(municipality_id__in=municipality_ids)
    return citizens.order_by("pk").first()


def _iso(value):
    """Local (Europe/Brussels) time with its offset: what the citizen would recognise."""
    return timezone.localtime(value).isoformat() if value is not None else None


def export(citizen: Citizen) -> dict:
    """Everything this system holds on one citizen, for their right of access (article 15)."""
    appointments = citizen.appointments.select_related("digipunt", "topic").order_by("start")
    return {
        "citizen": {
            "phone": str(citizen.phone),
            "name": citizen.name,
            "language": citizen.language,
            "sms_opt_out": citizen.sms_opt_out,
            "sms_consent_at": _iso(citizen.sms_consent_at),
            "created_at": _iso(citizen.created_at),
            "last_contact_at": _iso(citizen.last_contact_at),
            "municipality": citizen.municipality.name,
        },
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
        "sms_received": [
            {"received_at": _iso(m.received_at), "body": m.body, "reply": m.reply}
            for m in citizen.inbound_messages.order_by("received_at")
        ],
        "sms_sent": [
            {"created_at": _iso(m.created_at), "body": m.body, "kind": m.kind, "status": m.status}
            for m in citizen.outbound_messages.order_by("created_at")
        ],
        "callbacks": [
            {"created_at": _iso(c.created_at), "reason": c.reason, "status": c.status, "outcome": c.outcome}
            for c in citizen.callbacks.order_by("created_at")
        ],
    }


def upcoming_appointments(citizen: Citizen, now=None):
    """What an erasure cancels: booked appointments still ahead. (One already checked in goes
    on: the citizen is at the desk; it simply loses its link to them.)"""
    now = now or timezone.now()
    return citizen.appointments.filter(status=Appointment.Status.BOOKED, end__gt=now).select_related(
        "digipunt", "topic"
    )


def erase(citizen: Citizen, *, by=None, reason: str = "request", now=None, still: Q | None = None) -> dict:
    """Erase one citizen's personal data (article 17), or purge it when its retention is over.

    Upcoming appointments are cancelled (the volunteer is told; the freed time goes to the
    waitlist) because nobody could be reminded or reached any more. Everything else that counts
    stays and loses its link to the person. Answers how many of each thing was touched (empty
    when the citizen was already gone).
    """
    now = now or timezone.now()
    cancelled = 0
    with transaction.atomic():
        # Read again under the lock: a second click, a parallel purge or a new text from the
        # citizen may have come first. `still` is the purge's own condition, checked again here.
        citizen = Citizen.objects.select_for_update().filter(still or Q(), pk=citizen.pk).first()
        if citizen is None:
            return {}
        for appointment in upcoming_appointments(citizen, now):
            # Cancelled one by one through the lifecycle: it takes the booking locks and frees
            # the volunteer and the desk exactly as any cancellation does.
            lifecycle.cancel(appointment, by=by, reason=_("Citizen data erased"), channel="", now=now)
            cancelled += 1
        with audit.quiet():
            counts = _unlink(citizen, now)
            citizen_id, municipality_id = citizen.pk, citizen.municipality_id
            optout.remember(citizen)
            citizen.delete()
        audit.record(
            audit.Action.ERASE if reason == "request" else audit.Action.PURGE,
            audit.Subject.CITIZEN,
            citizen_id,
            municipality_id=municipality_id,
            detail=", ".join(f"{name}={count}" for name, count in counts.items() if count),
            actor=by,
        )
    return {"citizens": 1, "appointments_cancelled": cancelled, **counts}


def _unlink(citizen: Citizen, now) -> dict:
    appointments = Appointment.objects.filter(citizen=citizen)
    walk_ins = WalkIn.objects.filter(citizen=citizen)
    help_requests = HelpRequest.objects.filter(
        Q(appointment__in=appointments.values("pk")) | Q(walk_in__in=walk_ins.values("pk"))
    ).exclude(note="")
    # Staff's free text about the visit: the reason given for a cancellation, a no-show...
    AppointmentEvent.objects.filter(appointment__in=appointments.values("pk")).exclude(note="").update(
        note=""
    )
    counts = {
        "help_request_notes": help_requests.update(note=""),
        "appointments": appointments.update(citizen=None, notes="", cancel_reason=""),
        "walk_ins": walk_ins.update(citizen=None, name=""),
        "waitlist_entries": _withdraw_waitlist(citizen),
        **_forget_number(citizen.municipality_id, str(citizen.phone), now, citizen=citizen),
    }
    return counts


def _forget_number(municipality_id: int, phone: str, now, citizen: Citizen | None = None) -> dict:
    """The texts and call-backs of one number in one municipality: those linked to the citizen,
    and those that never were (over the hourly limit, a landline, a reply before the citizen row
    existed)."""

    def of(number_field):
        linked = Q(citizen=citizen) if citizen is not None else Q(pk__in=[])
        return linked | Q(municipality_id=municipality_id, **{number_field: phone})

    outbound = OutboundMessage.objects.filter(of("to"))
    # Not yet sent: never send it now. Dropping the claim matters: a worker holding the row
    # writes its outcome only while its claim holds (outbox._finish), so it cannot put the
    # message back in the queue after a temporary error.
    outbound.filter(status__in=UNSENT).update(
        status=OutboundMessage.Status.CANCELLED, handled_at=now, claim_token="", claimed_until=None
    )
    callbacks = CallbackRequest.objects.filter(of("phone"))
    callbacks.filter(status=CallbackRequest.Status.OPEN).update(
        status=CallbackRequest.Status.DONE, outcome=CallbackRequest.Outcome.NOT_NEEDED, handled_at=now
    )
    return {
        "sms_received": InboundMessage.objects.filter(of("from_number")).update(
            citizen=None, from_number="", body="", reply=""
        ),
        # The provider's error text can quote the number.
        "sms_sent": outbound.update(citizen=None, to="", body="", last_error=""),
        "callbacks": callbacks.update(citizen=None, phone=""),
    }


def erase_number(municipality_ids, phone: str, *, by=None) -> dict:
    """Right to erasure for a phone number in these municipalities: the citizen where there is
    one, and the number's texts and call-backs where there is none. Answers the summed counts."""
    now = timezone.now()
    totals: dict[str, int] = {}
    for municipality_id in sorted(municipality_ids):
        citizen = Citizen.objects.filter(municipality_id=municipality_id, phone=phone).first()
        if citizen is not None:
            counts = erase(citizen, by=by, now=now)
        else:
            with transaction.atomic():
                counts = {name: n for name, n in _forget_number(municipality_id, phone, now).items() if n}
                if counts:
                    audit.record(
                        audit.Action.ERASE,
                        audit.Subject.SMS,
                        municipality_id=municipality_id,
                        detail="number without citizen record: "
                        + ", ".join(f"{name}={n}" for name, n in counts.items()),
                        actor=by,
                    )
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    return totals


def _withdraw_waitlist(citizen: Citizen) -> int:
    entries = WaitlistEntry.objects.filter(citizen=citizen)
    entries.filter(status__in=OPEN_WAITLIST).update(status=WaitlistEntry.Status.WITHDRAWN)
    return entries.update(citizen=None)


def _stale_citizens(municipality: Municipality, now):
    cutoff = now - datetime.timedelta(days=municipality.citizen_retention_days)
    # Not NULL: "NOT IN" a list holding NULL matches nothing at all.
    active = Appointment.objects.filter(status__in=UPCOMING, end__gt=now, citizen__isnull=False).values(
        "citizen_id"
    )
    return (
        Citizen.objects.filter(municipality=municipality)
        .filter(Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff))
        .exclude(pk__in=active)
    )


def purge(now: datetime.datetime | None = None) -> dict:
    """The retention job: removes what each municipality no longer needs to keep. Idempotent and
    cheap when there is nothing to do; statistics keep their counts."""
    now = now or timezone.now()
    totals = dict.fromkeys(
        [
            "citizens",
            "sms_texts",
            "appointment_notes",
            "help_request_notes",
            "walk_in_names",
            "audit_entries",
            "sessions",
        ],
        0,
    )

    def add(name, count):
        totals[name] += count

    for municipality in Municipality.objects.order_by("pk"):
        stale = _stale_citizens(municipality, now)
        for citizen_id in list(stale.values_list("pk", flat=True)):
            try:
                erased = erase(Citizen(pk=citizen_id), reason="retention", now=now, still=Q(pk__in=stale))
            except Exception:  # one bad row must not stop the purge of everyone else
                logger.exception("Purge of citizen %s failed", citizen_id)
                continue
            add("citizens", erased.get("citizens", 0))
        citizen_cutoff = now - datetime.timedelta(days=municipality.citizen_retention_days)
        sms_cutoff = now - datetime.timedelta(days=municipality.sms_retention_days)
        add("sms_texts", _purge_sms(Q(municipality=municipality), sms_cutoff))
        old_appointments = Appointment.objects.filter(
            digipunt__municipality=municipality, end__lt=citizen_cutoff
        )
        add(
            "appointment_notes",
            old_appointments.exclude(notes="", cancel_reason="").update(notes="", cancel_reason="")
            + AppointmentEvent.objects.filter(appointment__in=old_appointments.values("pk"))
            .exclude(note="")
            .update(note=""),
        )
        add(
            "help_request_notes",
            HelpRequest.objects.filter(municipality=municipality, date__lt=citizen_cutoff.date())
            .exclude(note="")
            .update(note=""),
        )
    # Texts to numbers no municipality owns have no municipality; the default retention applies.
    default_days = Municipality._meta.get_field("sms_retention_days").default
    add("sms_texts", _purge_sms(Q(municipality__isnull=True), now - datetime.timedelta(days=default_days)))
    names_cutoff = (now - datetime.timedelta(days=settings.WALK_IN_NAME_RETENTION_DAYS)).date()
    add("walk_in_names", WalkIn.objects.filter(day__lt=names_cutoff).exclude(name="").update(name=""))
    add("audit_entries", audit.purge_expired(now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)))
    add("sessions", Session.objects.filter(expire_date__lt=now).delete()[0])
    return totals


def _purge_sms(where: Q, cutoff) -> int:
    inbound = (
        InboundMessage.objects.filter(where, received_at__lt=cutoff)
        .exclude(body="", reply="", from_number="")
        .update(body="", reply="", from_number="")
    )
    finished = OutboundMessage.objects.filter(where, created_at__lt=cutoff).exclude(status__in=UNSENT)
    outbound = finished.exclude(body="", to="", last_error="").update(body="", to="", last_error="")
    callbacks = (
        CallbackRequest.objects.filter(where, created_at__lt=cutoff)
        .exclude(status=CallbackRequest.Status.OPEN)
        .exclude(phone="")
        .update(phone="")
    )
    return inbound + outbound + callbacks
