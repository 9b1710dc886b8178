"""What the voice menus offer: topics by demand, whether a person can answer now, and whom to dial."""

import datetime

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conversations import menus
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, Topic
from helpdesk.opening import opening_periods

MAX_TOPICS = menus.PAGE_SIZE  # 8: 9 always repeats the menu, 0 always reaches a person


def menu_topics(municipality_id: int, now: datetime.datetime) -> list[Topic]:
    """The core's first topic page: at most eight, most asked first, the basics and "other"
    always on it (conversations.menus)."""
    return menus.topic_pages(municipality_id, now)[0]


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


# Topic names for the ear: short enough for a menu of eight under 20 seconds, no commas or
# brackets (the full names are written to be read).
SPOKEN_NAMES = {
    "banking": _("Bank and itsme"),
    "taxes": _("Taxes"),
    "school": _("School"),
    "health": _("Health"),
    "eid": _("eID"),
    "government": _("Government"),
    "benefits_work": _("Benefits and work"),
    "housing_energy": _("Housing and energy"),
    "mobility": _("Transport"),
    "communication": _("E-mail and chat"),
    "device_basics": _("Phone and computer"),
    "online_safety": _("Safe online"),
    "other": _("Something else"),
}


def topic_label(topic, language: str) -> str:
    """The spoken name of a network topic; a municipality's own topics use their full name."""
    with translation.override(language):
        label = SPOKEN_NAMES.get(topic.code)
        return str(label) if label else topic.name_in(language)
