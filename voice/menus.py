"""Whether a person can answer the phone now, and whom to dial. (The menus themselves are the
conversation core's: conversations.menus, conversations.labels.)"""

import datetime

from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt
from helpdesk.opening import opening_periods


def open_digipunt_phone(municipality, now: datetime.datetime) -> str | None:
    """The number of a digipunt open right now (else None): staff there can take the call."""
    local = now.astimezone(local_zone())
    digipunten = Digipunt.objects.filter(municipality=municipality, is_active=True).prefetch_related(
        "opening_hours"
    )
    for digipunt in digipunten.order_by("name"):
        is_open = any(
            opens <= local.time() < closes for opens, closes in opening_periods(digipunt, local.date())
        )
        number = digipunt.phone or municipality.phone
        if is_open and number:
            return number.as_e164
    return None
