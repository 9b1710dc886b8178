"""What the dialogue holds on a citizen or a bare number: call-back requests and the conversation
state (see helpdesk.citizen_data). The conversation row goes with the citizen row (CASCADE);
erasing ends its open question at once so nothing offered stays readable."""

import datetime

from django.db.models import Q
from django.utils import timezone

from conversations.models import CallbackRequest, Conversation
from helpdesk.citizen_data import Holder
from helpdesk.models import Municipality


def _iso(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def export(citizen) -> dict:
    return {
        "callbacks": [
            {
                "created_at": _iso(c.created_at),
                "channel": c.channel,
                "reason": c.reason,
                "status": c.status,
                "outcome": c.outcome,
            }
            for c in citizen.callbacks.order_by("created_at")
        ],
    }


def forget_number(municipality_id: int, phone: str, now, citizen=None) -> dict:
    """The call-backs of one number in one municipality: the citizen's, and those asked before a
    citizen row existed (a landline, a withheld number keyed in)."""
    linked = Q(citizen=citizen) if citizen is not None else Q(pk__in=[])
    callbacks = CallbackRequest.objects.filter(linked | Q(municipality_id=municipality_id, phone=phone))
    callbacks.filter(status=CallbackRequest.Status.OPEN).update(
        status=CallbackRequest.Status.DONE, outcome=CallbackRequest.Outcome.NOT_NEEDED, handled_at=now
    )
    return {"callbacks": callbacks.update(citizen=None, phone="")}


def erase(citizen, *, now) -> dict:
    Conversation.objects.filter(citizen=citizen).delete()
    return forget_number(citizen.municipality_id, str(citizen.phone), now, citizen=citizen)


def _purge(where: Q, cutoff) -> int:
    return (
        CallbackRequest.objects.filter(where, created_at__lt=cutoff)
        .exclude(status=CallbackRequest.Status.OPEN)
        .exclude(phone="")
        .update(phone="")
    )


def purge(now) -> dict:
    # A call-back is kept as long as the texts around it: the municipality's SMS retention.
    count = 0
    for municipality in Municipality.objects.order_by("pk"):
        count += _purge(
            Q(municipality=municipality), now - datetime.timedelta(days=municipality.sms_retention_days)
        )
    return {"callbacks": count}


HOLDER = Holder(name="conversations", export=export, erase=erase, forget_number=forget_number, purge=purge)
