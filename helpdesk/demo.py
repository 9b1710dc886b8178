"""Demo data as CONTRACT.md describes it. Idempotent: running it again changes nothing."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from helpdesk.models import Digipunt, Membership, Municipality, OpeningHours, Role, Topic

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
VOLUNTEER_USERNAMES = ["volunteer", "volunteer2"]


def _user(username: str, first_name: str, *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if not created and not settings.DEBUG:
        # `seed_demo --force` on a real installation: never reset an existing account.
        return user
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
    _seed_volunteers(municipality)
    return municipality


def _seed_volunteers(municipality: Municipality) -> None:
    """Two volunteers at both digipunten on weekdays; between them they cover every topic.

    `volunteer` is at the Bibliotheek in the morning and the Sociaal Huis in the afternoon;
    `volunteer2` the other way round, so each digipunt has a volunteer whenever it is open.
    """
    from volunteers.models import Availability, Volunteer

    digipunten = {d.short_name: d for d in municipality.digipunten.all()}
    library, social = digipunten["Bibliotheek"], digipunten["Sociaal Huis"]
    topic_codes = list(Topic.objects.filter(municipality=None).values_list("code", flat=True))
    half = len(topic_codes) // 2
    for username, first_name, languages, codes, morning, afternoon in [
        ("volunteer", "Vera", ["nl"], topic_codes[:half], library, social),
        ("volunteer2", "Victor", ["nl", "fr", "en"], topic_codes[half:], social, library),
    ]:
        user = _user(username, first_name)
        user.last_name = "Demo"
        user.save(update_fields=["last_name"])
        Membership.objects.update_or_create(
            user=user, municipality=municipality, defaults={"role": Role.VOLUNTEER}
        )
        volunteer, _ = Volunteer.objects.update_or_create(
            user=user,
            defaults={
                "municipality": municipality,
                "languages": languages,
                "status": Volunteer.Status.ACTIVE,
            },
        )
        volunteer.topics.set(Topic.objects.filter(code__in=codes))
        volunteer.digipunten.set([library, social])
        wanted = {
            (place.pk, day, opens, closes)
            for day in range(5)
            for place, (opens, closes) in zip((morning, afternoon), WEEKDAY_HOURS, strict=True)
        }
        present = set(volunteer.availability.values_list("digipunt_id", "weekday", "starts", "ends"))
        if present != wanted:
            volunteer.availability.all().delete()
            Availability.objects.bulk_create(
                Availability(volunteer=volunteer, digipunt_id=d, weekday=w, starts=s, ends=e)
                for d, w, s, e in sorted(wanted)
            )


def demo_logins() -> list[tuple[str, str]]:
    return [(username, DEMO_PASSWORD) for username in [u[0] for u in USERS] + VOLUNTEER_USERNAMES]
