"""What the SMS channel holds on a citizen or a bare number: texts in and out, the numbers on
them (see helpdesk.citizen_data; call-back requests are conversations'). An opt-out outlives the
erasure."""

import datetime

from django.db.models import Q
from django.utils import timezone

from helpdesk.citizen_data import Holder
from helpdesk.models import Municipality
from sms import optout
from sms.models import InboundMessage, OutboundMessage

UNSENT = (OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING)


def _iso(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def export(citizen) -> dict:
    return {
        "sms_received": [
            {"received_at": _iso(m.received_at), "body": m.body, "reply": m.reply}
            for m in citizen.inbound_messages.order_by("received_at")
        ],
        "sms_sent": [
            {"created_at": _iso(m.created_at), "body": m.body, "kind": m.kind, "status": m.status}
            for m in citizen.outbound_messages.order_by("created_at")
        ],
    }


def forget_number(municipality_id: int, phone: str, now, citizen=None) -> dict:
    """The texts of one number in one municipality: those linked to the citizen,
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
    return {
        "sms_received": InboundMessage.objects.filter(of("from_number")).update(
            citizen=None, from_number="", body="", reply=""
        ),
        # The provider's error text can quote the number.
        "sms_sent": outbound.update(citizen=None, to="", body="", last_error=""),
    }


def erase(citizen, *, now) -> dict:
    optout.remember(citizen)
    return forget_number(citizen.municipality_id, str(citizen.phone), now, citizen=citizen)


def _purge_sms(where: Q, cutoff) -> int:
    inbound = (
        InboundMessage.objects.filter(where, received_at__lt=cutoff)
        .exclude(body="", reply="", from_number="")
        .update(body="", reply="", from_number="")
    )
    finished = OutboundMessage.objects.filter(where, created_at__lt=cutoff).exclude(status__in=UNSENT)
    outbound = finished.exclude(body="", to="", last_error="").update(body="", to="", last_error="")
    return inbound + outbound


def purge(now) -> dict:
    texts = 0
    for municipality in Municipality.objects.order_by("pk"):
        cutoff = now - datetime.timedelta(days=municipality.sms_retention_days)
        texts += _purge_sms(Q(municipality=municipality), cutoff)
    # Texts to numbers no municipality owns have no municipality; the default retention applies.
    default_days = Municipality._meta.get_field("sms_retention_days").default
    texts += _purge_sms(Q(municipality__isnull=True), now - datetime.timedelta(days=default_days))
    return {"sms_texts": texts}


HOLDER = Holder(name="sms", export=export, erase=erase, forget_number=forget_number, purge=purge)
