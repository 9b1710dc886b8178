"""The benchmarks' data, built with the project's models directly (no test tree, no factory-boy).

Small builders (a digipunt with its opening hours, a user with a membership, an active volunteer
with availability, topics and languages) and the two seeds the benchmarks use:

    seed_slots()   bench/run.py's slot search and booking on SQLite (random seed 42)
    seed_web()     bench/web_bench.py's webhook and booking under gunicorn on PostgreSQL

The rows match what tests/factories.py made for the same calls, so the figures stay comparable
with earlier runs. Import after django.setup().
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from appointments.models import Appointment
from helpdesk.models import Citizen, Digipunt, Membership, Municipality, OpeningHours, Role, Topic
from volunteers.models import Availability, Volunteer

PASSWORD = "bench-password"
LONG_AGO = datetime.date(2020, 1, 1)  # availability entered long ago: every date counts
MORNING = (datetime.time(9), datetime.time(12))
AFTERNOON = (datetime.time(13), datetime.time(17))
WORKDAYS = range(5)  # Monday to Friday


def fast_passwords() -> None:
    """Seeding speed only: the benchmarks never log in with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def digipunt(municipality, name: str, *, hours=(MORNING, AFTERNOON), **fields) -> Digipunt:
    """A digipunt open Monday to Friday during `hours` (pass `hours=()` for none)."""
    place = Digipunt.objects.create(
        municipality=municipality,
        name=name,
        street="Marktplein 1",
        postal_code="9000",
        city="Gent",
        languages=["nl", "fr"],
        **fields,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(digipunt=place, weekday=day, opens=opens, closes=closes)
        for day in WORKDAYS
        for opens, closes in hours
    )
    return place


def user(username: str):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, first_name="Test"
    )


def member(role: str, municipality, username: str):
    """A user holding `role` in `municipality` (None for a network administrator)."""
    account = user(username)
    Membership.objects.create(user=account, municipality=municipality, role=role)
    return account


def volunteer(
    municipality, digipunten, *, username: str, phone: str, languages=("nl",), topics=(), generalist=False
) -> Volunteer:
    """An active volunteer of `municipality` serving `digipunten`, with a volunteer membership;
    no availability yet (see `availability`)."""
    person = Volunteer.objects.create(
        user=user(username),
        municipality=municipality,
        phone=phone,
        languages=list(languages),
        is_generalist=generalist,
    )
    person.digipunten.set(digipunten)
    person.topics.set(Topic.objects.filter(code__in=topics))
    Membership.objects.get_or_create(
        user=person.user, municipality=municipality, defaults={"role": Role.VOLUNTEER}
    )
    return person


def availability(person, place, blocks) -> list[Availability]:
    """Weekly blocks Monday to Friday at `place`, valid since long ago."""
    return [
        Availability(
            volunteer=person,
            digipunt=place,
            weekday=day,
            starts=starts,
            ends=ends,
            valid_from=LONG_AGO,
        )
        for day in WORKDAYS
        for starts, ends in blocks
    ]


def bookable_volunteer(municipality, digipunten, *, username: str, phone: str, **options) -> Volunteer:
    """A volunteer on duty whenever `digipunten` are open (Mon-Fri 9-12, 13-17); with several
    digipunten, mornings at the first, afternoons at the second, and so on."""
    person = volunteer(municipality, digipunten, username=username, phone=phone, **options)
    blocks = []
    for index, place in enumerate(digipunten):
        chosen = [MORNING, AFTERNOON] if len(digipunten) == 1 else [[MORNING, AFTERNOON][index % 2]]
        blocks += availability(person, place, chosen)
    Availability.objects.bulk_create(blocks)
    return person


def citizens(municipality, prefix: str, count: int) -> list[Citizen]:
    """`count` citizens with the numbers +32{prefix}000000, +32{prefix}000001, ..."""
    return Citizen.objects.bulk_create(
        Citizen(municipality=municipality, phone=f"+32{prefix}{i:06d}") for i in range(count)
    )


def seed_slots(n_volunteers: int, n_appointments: int, horizon_days: int):
    """Two digipunten (10 desks, open 9-17 on weekdays), `n_volunteers` generalists on duty 9-17
    at one of them, 500 citizens and `n_appointments` booked half hours over the horizon, drawn
    with random seed 42 (the shape of the peer's seed). Returns (municipality, places, topic)."""
    fast_passwords()
    rnd = random.Random(42)
    municipality = Municipality.objects.create(name="Benchdorp", sms_number="+32460999000")
    places = [
        digipunt(
            municipality,
            f"Digipunt {i}",
            hours=[(datetime.time(9), datetime.time(17))],
            desks=10,
            booking_horizon_days=horizon_days,
            lead_time_minutes=0,
        )
        for i in range(2)
    ]
    topic = Topic.objects.get(code="device_basics")  # 30 minutes, like the peer's main service
    staff = []
    for i in range(n_volunteers):
        place = places[i % 2]
        person = volunteer(
            municipality, [place], username=f"bench{i:02d}", phone=f"+32471{i:06d}", generalist=True
        )
        staff.append((person, place))
    Availability.objects.bulk_create(
        block
        for person, place in staff
        for block in availability(person, place, [(datetime.time(9), datetime.time(17))])
    )
    people = citizens(municipality, "471", 500)
    today = timezone.localdate()
    workdays = [today + datetime.timedelta(days=d) for d in range(1, horizon_days + 1)]
    workdays = [d for d in workdays if d.weekday() < 5]
    zone = timezone.get_current_timezone()
    busy, rows = set(), []
    while len(rows) < n_appointments:
        person, place = rnd.choice(staff)
        day, half_hour = rnd.choice(workdays), rnd.randrange(16)
        if (person.pk, day, half_hour) in busy:
            continue
        busy.add((person.pk, day, half_hour))
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=zone) + datetime.timedelta(
            minutes=30 * half_hour
        )
        rows.append(
            Appointment(
                digipunt=place,
                topic=topic,
                citizen=rnd.choice(people),
                volunteer=person,
                language="nl",
                channel="sms",
                start=start,
                end=start + datetime.timedelta(minutes=30),
                code=f"B{len(rows):05d}",
            )
        )
    Appointment.objects.bulk_create(rows)
    return municipality, places, topic


def seed_web(sms_number: str):
    """One municipality answering SMS on `sms_number`: 4 digipunten (one desk, open Mon-Fri 9-12
    and 13-17, bookable 8 weeks ahead) with one generalist volunteer each, and a staff member's
    API token. Returns (municipality, places, topic, token)."""
    from rest_framework.authtoken.models import Token

    fast_passwords()
    municipality = Municipality.objects.create(name="Benchdorp", sms_number=sms_number, default_language="nl")
    places = [
        digipunt(municipality, f"Digipunt {i}", desks=1, booking_horizon_days=56, lead_time_minutes=0)
        for i in range(4)
    ]
    for i, place in enumerate(places):
        bookable_volunteer(municipality, [place], username=f"vol{i}", phone=f"+32471{i:06d}", generalist=True)
    staff = member(Role.STAFF, municipality, "benchstaff")
    token = Token.objects.create(user=staff).key
    return municipality, places, Topic.objects.get(code="device_basics"), token
