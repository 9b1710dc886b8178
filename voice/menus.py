"""What the voice menus offer: topics by demand, whether a person can answer now, and whom to dial."""

import datetime

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment
from appointments.slots import free_slots
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, Topic
from helpdesk.opening import opening_periods

MAX_TOPICS = 8  # 9 always repeats the menu, 0 always reaches a person
ALWAYS = ("device_basics", "communication")  # the basics are never left off a short menu
DEMAND_DAYS = 365
MAX_SLOTS = 3
SEARCH_DAYS = 7  # the slot search grows a week at a time up to the booking horizon


def menu_topics(municipality_id: int, now: datetime.datetime) -> list[Topic]:
    """The municipality's topics, most booked in the last year first; at most MAX_TOPICS, with
    the basics and "other" always among them."""
    topics = list(Topic.objects.for_municipality(municipality_id).filter(is_active=True))
    counts = dict(
        Appointment.objects.filter(
            digipunt__municipality_id=municipality_id,
            created_at__gte=now - datetime.timedelta(days=DEMAND_DAYS),
        )
        .values_list("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )
    ranked = sorted(topics, key=lambda t: (t.code == "other", -counts.get(t.pk, 0), t.pk))
    if len(ranked) <= MAX_TOPICS:
        return ranked
    kept = [t for t in ranked if t.code in ALWAYS or t.code == "other"]
    room = MAX_TOPICS - len(kept)
    chosen = {t.pk for t in [t for t in ranked if t not in kept][:room]} | {t.pk for t in kept}
    return [t for t in ranked if t.pk in chosen]


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


def topic_names(municipality_id: int) -> dict[str, list[str]]:
    """What the understanding matches spoken topics against: every name in every language."""
    return {
        t.code: [t.name_nl, t.name_fr, t.name_en]
        for t in Topic.objects.for_municipality(municipality_id).filter(is_active=True)
    }


def find_slots(*, citizen, topic, language, now, after=None, limit=MAX_SLOTS):
    """The next free slots at any digipunt of the municipality after `after` (a (start,
    digipunt id) key), nearest first."""
    zone = local_zone()
    digipunten = list(Digipunt.objects.filter(municipality_id=citizen.municipality_id, is_active=True))
    horizon = max((d.booking_horizon_days for d in digipunten), default=0)
    first = now.astimezone(zone).date()
    if after is not None:
        first = max(first, after[0].astimezone(zone).date())
    last = now.astimezone(zone).date() + datetime.timedelta(days=horizon)
    found = []
    while first <= last and len(found) < limit:
        window_end = min(first + datetime.timedelta(days=SEARCH_DAYS - 1), last)
        found += [
            slot
            for slot in free_slots(
                topic=topic,
                language=language,
                start_date=first,
                end_date=window_end,
                now=now,
                citizen=citizen,
                municipality=citizen.municipality,
            )
            if after is None or (slot.start, slot.digipunt.pk) > after
        ]
        first = window_end + datetime.timedelta(days=1)
    found.sort(key=lambda s: (s.start, s.digipunt.pk))
    return found[:limit]
