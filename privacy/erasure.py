"""Personal data under the GDPR: a citizen's own copy (access), erasure, and the retention purge.

What is personal: the citizen row (phone, name, language), SMS texts and the numbers on them,
names at the counter, call-back numbers, and free-text notes. What is not: the counts the
statistics are made of (appointments and their status, help requests, walk-ins, waitlist entries
and unmet-demand events). Erasing therefore blanks or unlinks the first and never deletes the
second, so every statistic keeps its count.

Each app says what it holds through the registry in helpdesk.citizen_data; this module runs the
steps in order and keeps the audit log of them.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpdesk import citizen_data, locks
from helpdesk.models import Citizen, Municipality
from privacy import audit

logger = logging.getLogger(__name__)


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
    data = {
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
    }
    for export_part in citizen_data.holders("export"):
        data.update(export_part(citizen))
    return data


def pending(citizen: Citizen, now=None) -> list[str]:
    """What an erasure would end now, in words for the staff member who confirms it."""
    now = now or timezone.now()
    return [line for describe in citizen_data.holders("pending") for line in describe(citizen, now)]


def _add(totals: dict, counts: dict) -> None:
    for name, count in counts.items():
        totals[name] = totals.get(name, 0) + count


def erase(citizen: Citizen, *, by=None, reason: str = "request", now=None, still: Q | None = None) -> dict:
    """Erase one citizen's personal data (article 17), or purge it when its retention is over.

    Upcoming appointments are cancelled (the volunteer is told; the freed time goes to the
    waitlist) because nobody could be reminded or reached any more. Everything else that counts
    stays and loses its link to the person. Answers how many of each thing was touched (empty
    when the citizen was already gone).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Read again under the lock: a second click, a parallel purge or a new text from the
        # citizen may have come first. `still` is the purge's own condition, checked again here.
        if not Citizen.objects.filter(pk=citizen.pk).exists():
            return {}
        # FOR UPDATE, not the usual lock: no text or booking may point at the row once it goes.
        locks.lock(citizen, for_delete=True)
        citizen = Citizen.objects.filter(still or Q(), pk=citizen.pk).first()
        if citizen is None:
            return {}
        counts = {"citizens": 1}
        for release in citizen_data.holders("release"):
            _add(counts, release(citizen, by=by, now=now))
        erased = {}
        with audit.quiet():
            for erase_part in citizen_data.holders("erase", top_down=True):
                _add(erased, erase_part(citizen, now=now))
            citizen_id, municipality_id = citizen.pk, citizen.municipality_id
            citizen.delete()
        audit.record(
            audit.Action.ERASE if reason == "request" else audit.Action.PURGE,
            audit.Subject.CITIZEN,
            citizen_id,
            municipality_id=municipality_id,
            detail=", ".join(f"{name}={count}" for name, count in erased.items() if count),
            actor=by,
        )
    _add(counts, erased)
    return counts


def erase_number(municipality_ids, phone: str, *, by=None) -> dict:
    """Right to erasure for a phone number in these municipalities: the citizen where there is
    one, and the number's texts and call-backs where there is none. Answers the summed counts."""
    now = timezone.now()
    totals: dict[str, int] = {}
    for municipality_id in sorted(municipality_ids):
        citizen = Citizen.objects.filter(municipality_id=municipality_id, phone=phone).first()
        if citizen is not None:
            _add(totals, erase(citizen, by=by, now=now))
            continue
        with transaction.atomic():
            counts = {}
            for forget in citizen_data.holders("forget_number"):
                _add(counts, forget(municipality_id, phone, now))
            counts = {name: n for name, n in counts.items() if n}
            if counts:
                audit.record(
                    audit.Action.ERASE,
                    audit.Subject.SMS,
                    municipality_id=municipality_id,
                    detail="number without citizen record: "
                    + ", ".join(f"{name}={n}" for name, n in counts.items()),
                    actor=by,
                )
        _add(totals, counts)
    return totals


def _stale_citizens(municipality: Municipality, now):
    cutoff = now - datetime.timedelta(days=municipality.citizen_retention_days)
    stale = Citizen.objects.filter(municipality=municipality).filter(
        Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff)
    )
    for keeps in citizen_data.holders("keeps"):
        stale = stale.exclude(pk__in=keeps(now))
    return stale


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
    for municipality in Municipality.objects.order_by("pk"):
        stale = _stale_citizens(municipality, now)
        for citizen_id in list(stale.values_list("pk", flat=True)):
            try:
                erased = erase(Citizen(pk=citizen_id), reason="retention", now=now, still=Q(pk__in=stale))
            except Exception:  # one bad row must not stop the purge of everyone else
                logger.exception("Purge of citizen %s failed", citizen_id)
                continue
            totals["citizens"] += erased.get("citizens", 0)
    for purge_part in citizen_data.holders("purge"):
        _add(totals, purge_part(now))
    _add(
        totals,
        {
            "audit_entries": audit.purge_expired(
                now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
            ),
            "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        },
    )
    return totals
