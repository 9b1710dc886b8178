"""What the voice menus offer: topics by demand, whether a person can answer now, and whom to dial."""

import datetime

from django.db.models import Count

from appointments.models import Appointment
from helpdesk.localtime import local_zone
from helpdesk.models import Digipunt, Topic
from helpdesk.opening import opening_periods

MAX_TOPICS = 8  # 9 always repeats the menu, 0 always reaches a person
ALWAYS = ("device_basics", "communication")  # the basics are never left off a short menu
DEMAND_DAYS = 365


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
