"""Callback requests: citizens for staff to phone (asked for, not understood, or no mobile), from
any channel. One list for staff: an open request per number, whichever channel asked first."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from conversations.models import CallbackRequest


def request(
    *,
    citizen,
    phone: str,
    reason: str,
    now: datetime.datetime,
    municipality=None,
    channel: str = CallbackRequest.Channel.SMS,
) -> CallbackRequest:
    """Put the number in the staff's list once: asking again while it is open changes nothing."""
    municipality_id = citizen.municipality_id if citizen is not None else municipality.pk
    open_request = CallbackRequest.objects.filter(
        municipality_id=municipality_id, phone=phone, status=CallbackRequest.Status.OPEN
    ).first()
    if open_request is not None:
        return open_request
    try:
        with transaction.atomic():
            return CallbackRequest.objects.create(
                municipality_id=municipality_id,
                citizen=citizen,
                phone=phone,
                channel=channel,
                reason=reason,
                created_at=now,
            )
    except IntegrityError:  # asked twice at the same moment
        return CallbackRequest.objects.get(
            municipality_id=municipality_id, phone=phone, status=CallbackRequest.Status.OPEN
        )


def close(
    callback: CallbackRequest, *, outcome: str, by, now: datetime.datetime | None = None
) -> CallbackRequest:
    callback.status = CallbackRequest.Status.DONE
    callback.outcome = outcome
    callback.handled_by = by
    callback.handled_at = now or timezone.now()
    callback.save(update_fields=["status", "outcome", "handled_by", "handled_at"])
    return callback
