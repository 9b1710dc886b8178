"""How a worker takes rows of an outbox (SMS: sms/outbox.py; e-mail: helpdesk/mail.py) to send.

An outbox model has `status` ("queued", "sending", ...), `due_at`, `claim_token` and
`claimed_until`. `claim` takes due rows with `SELECT ... FOR UPDATE SKIP LOCKED`, so two workers
never take the same row, and marks them with a token and a claim that expires: the rows of a
worker that dies are due again once it runs out. Before sending each row the worker `renew`s
its claim; every outcome is written only where the token still matches (`ours`).
"""

import datetime
import uuid

from django.db import transaction
from django.db.models import Q

QUEUED, SENDING = "queued", "sending"


def claim(model, *, now: datetime.datetime, limit: int, seconds: int) -> tuple[str, list[int]]:
    """Take up to `limit` due rows (queued and due, or claimed by a worker whose claim ran out):
    the claim's token and the rows' ids, oldest due first."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(Q(status=QUEUED, due_at__lte=now) | Q(status=SENDING, claimed_until__lt=now))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            model.objects.filter(pk__in=ids).update(
                status=SENDING, claim_token=token, claimed_until=now + datetime.timedelta(seconds=seconds)
            )
    return token, ids


def ours(model, pk: int, token: str):
    """The row, if our claim on it still holds (else another worker owns it now)."""
    return model.objects.filter(pk=pk, claim_token=token)


def renew(model, pk: int, token: str, *, now: datetime.datetime, seconds: int) -> bool:
    """Just before sending: extend our claim if we still hold it and it has not run out."""
    until = now + datetime.timedelta(seconds=seconds)
    return bool(
        ours(model, pk, token).filter(status=SENDING, claimed_until__gt=now).update(claimed_until=until)
    )
