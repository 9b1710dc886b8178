"""Demo data as CONTRACT.md describes it. Idempotent: running it again changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from helpdesk.models import Digipunt, Membership, Municipality, OpeningHours, Role

DEMO_PASSWORD = "demo"
WEEKDAY_HOURS = [(datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17))]

DIGIPUNTEN = [
    {
        "name": "Bibliotheek Demodorp",
        "short_name": "Bibliotheek",
        "street": "Dorpsstraat 1",
        "postal_code": "9999",
        "city": "Demodorp",
        "languages": ["nl", "fr", "en"],
        "accessibility_notes": "Gelijkvloers, rolstoeltoegankelijk, ringleiding aan de balie.",
    },
    {
        "name": "Sociaal Huis Demodorp",
        "short_name": "Sociaal Huis",
        "street": "Kerkplein 5",
        "postal_code": "9999",
        "city": "Demodorp",
        "languages": ["nl", "en"],
        "accessibility_notes": "Lift naar de eerste verdieping; parking voor personen met een handicap.",
    },
]

USERS = [
    # username, first name, role (None: superuser)
    ("admin", "Admin", None),
    ("coordinator", "Charlotte", Role.COORDINATOR),
    ("staff", "Sam", Role.STAFF),
]


def _user(username: str, first_name: str, *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.first_name = first_name
    user.email = f"{username}@demodorp.example"
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


@transaction.atomic
def seed_demo() -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        name="Demodorp",
        defaults={"default_language": "nl", "sms_number": "+32460200000", "phone": "+3250123456"},
    )
    for spec in DIGIPUNTEN:
        digipunt, _ = Digipunt.objects.update_or_create(
            municipality=municipality,
            name=spec["name"],
            defaults={**{k: v for k, v in spec.items() if k != "name"}, "desks": 2, "slot_minutes": 30},
        )
        wanted = {(day, opens, closes) for day in range(5) for opens, closes in WEEKDAY_HOURS}
        present = set(digipunt.opening_hours.values_list("weekday", "opens", "closes"))
        if present != wanted:
            digipunt.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(digipunt=digipunt, weekday=d, opens=o, closes=c) for d, o, c in sorted(wanted)
            )
    for username, first_name, role in USERS:
        user = _user(username, first_name, superuser=role is None)
        if role is not None:
            Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    return municipality


def demo_logins() -> list[tuple[str, str]]:
    return [(username, DEMO_PASSWORD) for username, _, _ in USERS]
