"""What help requests hold on a citizen: only the staff's free-text note (see
helpdesk.citizen_data). The help request itself is anonymous and counted: it stays."""

import datetime

from django.db.models import Q

from help_requests.models import HelpRequest
from helpdesk.citizen_data import Holder
from helpdesk.models import Municipality


def erase(citizen, *, now) -> dict:
    # Runs before appointments drop their link to the citizen (top-down order).
    notes = HelpRequest.objects.filter(Q(appointment__citizen=citizen) | Q(walk_in__citizen=citizen)).exclude(
        note=""
    )
    return {"help_request_notes": notes.update(note="")}


def purge(now) -> dict:
    notes = 0
    for municipality in Municipality.objects.order_by("pk"):
        cutoff = now - datetime.timedelta(days=municipality.citizen_retention_days)
        notes += (
            HelpRequest.objects.filter(municipality=municipality, date__lt=cutoff.date())
            .exclude(note="")
            .update(note="")
        )
    return {"help_request_notes": notes}


HOLDER = Holder(name="help_requests", erase=erase, purge=purge)
