"""Short topic names for menus, in every channel (the full names are too long for one SMS
segment and too slow to say in a keypad menu)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

SHORT_NAMES = {
    "banking": _("Bank, itsme"),
    "taxes": _("Taxes"),
    "school": _("School"),
    "health": _("Health"),
    "eid": _("eID"),
    "government": _("Government"),
    "benefits_work": _("Benefits, work"),
    "housing_energy": _("Housing, energy"),
    "mobility": _("Transport"),
    "communication": _("E-mail, chat"),
    "device_basics": _("Phone, computer"),
    "online_safety": _("Safe online"),
    "other": _("Other"),
}


def short_topic_name(topic, language: str) -> str:
    """The short name for network topics; a municipality's own topics use their full name."""
    with translation.override(language):
        label = SHORT_NAMES.get(topic.code)
        return str(label) if label else topic.name_in(language)
