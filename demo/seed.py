"""Demo data as CONTRACT.md describes it. Idempotent: running it again changes nothing."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from helpdesk import schedule_version
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


def seed_demo() -> Municipality:
    """Idempotent. Not one transaction: each coming appointment is booked in a transaction of its
    own, as every channel books (one transaction holding the locks of many bookings would take
    them out of order, which helpdesk.locks refuses). The rest is written in a few atomic steps."""
    with transaction.atomic():
        municipality = _seed_structure()
    _seed_appointments(municipality)
    _seed_sms(municipality)  # through the webhook's own code: a transaction per message
    with transaction.atomic():
        _seed_help_requests(municipality)
        from guides.demo import seed_guides

        seed_guides(municipality, author=get_user_model().objects.get(username="coordinator"))
    return municipality


def _seed_structure() -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        name="Demodorp",
        defaults={
            "default_language": "nl",
            "sms_number": "+32460200000",
            "phone": "+3250123456",
            "population": 12500,
        },
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
            schedule_version.bump()  # bulk_create sends no signal: the cached weeks must still see it
    for username, first_name, role in USERS:
        user = _user(username, first_name, superuser=role is None)
        if role is not None:
            Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    _seed_volunteers(municipality)
    return municipality


# Topic weights per month (1-12): taxes peak in May and June, school enrolment in March.
BASE_WEIGHTS = {
    "banking": 4, "taxes": 2, "school": 0.6, "health": 3, "eid": 3, "government": 2, "benefits_work": 2,
    "housing_energy": 1.5, "mobility": 1, "communication": 1.5, "device_basics": 3, "online_safety": 1.5,
    "other": 1,
}  # fmt: skip
AGE_BANDS = ["75_plus", "65_74", "45_64", "25_44", "under_25", ""]
REFERRALS = ["ocmw", "caw", "health_insurer", "bank", "tax_office", "device_loan"]
SEASONS = {"taxes": {4: 3, 5: 9, 6: 8, 7: 3}, "school": {2: 3, 3: 8, 4: 2}, "housing_energy": {1: 3, 12: 3}}


def _seed_help_requests(municipality: Municipality) -> None:
    """A year of realistic help requests (deterministic): the statistics have something to show."""
    import random

    from django.utils import timezone

    from help_requests.models import HelpRequest, HelpRequestTopic
    from helpdesk.opening import public_holiday

    if HelpRequest.objects.filter(municipality=municipality).exists():
        return
    rnd = random.Random(7)
    topics = {t.code: t for t in Topic.objects.filter(municipality__isnull=True, is_active=True)}
    places = list(municipality.digipunten.filter(is_active=True).order_by("name"))
    today = timezone.localdate()
    choose = rnd.choices
    rows, topic_rows = [], []
    from help_requests.periods import year_ending

    day = year_ending(today)
    while day < today:
        if day.weekday() < 5 and not public_holiday(day):
            codes = list(topics)
            weights = [BASE_WEIGHTS.get(c, 1) * SEASONS.get(c, {}).get(day.month, 1) for c in codes]
            for place in places:
                for _ in range(rnd.randint(4, 10)):
                    outcome = choose(
                        ["solved", "partly_solved", "not_solved", "referred", "follow_up"], [60, 18, 7, 8, 7]
                    )[0]
                    chosen = {choose(codes, weights)[0]}
                    if rnd.random() < 0.15:
                        chosen.add(choose(codes, weights)[0])
                    request = HelpRequest(
                        municipality=municipality,
                        digipunt=place,
                        date=day,
                        hour=choose([9, 10, 11, 13, 14, 15, 16], [3, 4, 3, 3, 4, 3, 2])[0],
                        **HelpRequest.buckets(day),
                        channel=choose(["sms", "phone", "counter", "web", "api"], [30, 25, 40, 3, 2])[0],
                        duration_minutes=int(rnd.triangular(10, 90, 35)),
                        outcome=outcome,
                        self_reliant=outcome == "solved" and rnd.random() < 0.4,
                        age_band=choose(AGE_BANDS, [20, 30, 25, 15, 5, 5])[0],
                        first_visit=choose([True, False, None], [40, 50, 10])[0],
                        referred_to=choose(REFERRALS)[0]
                        if outcome == "referred"
                        else "",
                        follow_up_on=day + datetime.timedelta(days=14) if outcome == "referred" else None,
                    )  # fmt: skip
                    if outcome == "referred" and request.follow_up_on < today and rnd.random() < 0.7:
                        request.referral_confirmed_at = timezone.now()
                    rows.append(request)
                    topic_rows.append(chosen)
        day += datetime.timedelta(days=1)
    created = HelpRequest.objects.bulk_create(rows, batch_size=1000)
    HelpRequestTopic.objects.bulk_create(
        (
            HelpRequestTopic(
                help_request=request,
                topic=topics[code],
                municipality=municipality,
                date=request.date,
                month=request.month,
            )
            for request, codes in zip(created, topic_rows, strict=True)
            for code in sorted(codes)
        ),
        batch_size=2000,
    )


def _seed_sms(municipality: Municipality) -> None:
    """Two short SMS conversations through the real engine (fixed MessageSids: seeding twice
    changes nothing): one citizen asks to be called, another starts booking."""
    from sms import inbound

    for sid, phone, body in [
        ("SMdemo00000000000000000000000001", "+32470000104", "Kan iemand mij bellen?"),
        ("SMdemo00000000000000000000000002", "+32470000102", "afspraak"),
    ]:
        inbound.receive(sid=sid, from_=phone, to=str(municipality.sms_number), body=body)


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
            schedule_version.bump()  # bulk_create sends no signal


DEMO_CITIZENS = [
    ("+32470000101", "An Peeters", "nl"),
    ("+32470000102", "Mohamed El Amrani", "nl"),
    ("+32470000103", "Marie Dubois", "fr"),
    ("+32470000104", "Jef Janssens", "nl"),
    ("+32470000105", "John Smith", "en"),
    ("+3250123499", "Rosa Claes", "nl"),  # a landline: no SMS reminders
]
DEMO_TOPICS = ["taxes", "banking", "eid", "health", "school", "online_safety"]


def _seed_appointments(municipality: Municipality) -> None:
    """Past appointments (completed, no-shows, cancellations) and the coming ones, once.

    The coming ones go through the booking function like any channel; the past ones are written
    as history, since booking refuses the past.
    """
    from django.utils import timezone

    from appointments.booking import SlotTaken, book
    from appointments.lifecycle import cancel
    from appointments.models import Appointment, AppointmentEvent, Channel
    from appointments.slots import free_slots
    from helpdesk.models import Citizen

    citizens = []
    for phone, name, language in DEMO_CITIZENS:
        citizen, _ = Citizen.objects.get_or_create(
            municipality=municipality, phone=phone, defaults={"name": name, "language": language}
        )
        citizens.append(citizen)
    topics = {t.code: t for t in Topic.objects.filter(code__in=DEMO_TOPICS)}
    channels = [Channel.SMS, Channel.PHONE, Channel.COUNTER, Channel.SMS, Channel.PHONE, Channel.API]
    now = timezone.now()
    today = timezone.localdate(now)
    places = list(municipality.digipunten.filter(is_active=True).order_by("name"))

    # The last four weeks: history for the statistics.
    # Written once, in one transaction: a run that failed halfway leaves none of it.
    if not Appointment.objects.filter(digipunt__municipality=municipality, start__lt=now).exists():
        with transaction.atomic():
            from volunteers.models import Volunteer

            volunteers = list(Volunteer.objects.filter(user__username__in=VOLUNTEER_USERNAMES).order_by("pk"))
            zone = timezone.get_current_timezone()
            outcomes = ["completed", "completed", "completed", "no_show", "completed", "cancelled"]
            written = 0
            for offset in range(28, 0, -1):
                day = today - datetime.timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                for index, hour in enumerate((9, 10, 14)):
                    topic = topics[DEMO_TOPICS[(offset + index) % len(DEMO_TOPICS)]]
                    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
                    status = outcomes[written % len(outcomes)]
                    appointment = Appointment.objects.create(
                        digipunt=places[index % len(places)],
                        topic=topic,
                        citizen=citizens[written % len(citizens)],
                        volunteer=volunteers[index % len(volunteers)],
                        language="nl",
                        channel=channels[written % len(channels)],
                        start=start,
                        end=start + datetime.timedelta(minutes=topic.default_duration_minutes),
                        status=status,
                        checked_in_at=start if status == "completed" else None,
                        completed_at=start + datetime.timedelta(minutes=topic.default_duration_minutes)
                        if status == "completed"
                        else None,
                        cancelled_at=start - datetime.timedelta(days=1) if status == "cancelled" else None,
                    )
                    # Booked some days before, as people do: 2 to 11 days ahead (the dashboard's lead time).
                    booked_at = start - datetime.timedelta(days=2 + written % 10, hours=3)
                    Appointment.objects.filter(pk=appointment.pk).update(created_at=booked_at)
                    AppointmentEvent.objects.create(appointment=appointment, action="booked", at=booked_at)
                    AppointmentEvent.objects.create(appointment=appointment, action=status, at=start)
                    written += 1

    # The coming two weeks: two bookings a working day, through the booking function.
    booked = 0
    for offset in range(1, 15):
        day = today + datetime.timedelta(days=offset)
        for index in range(2):
            citizen = citizens[(offset + index) % len(citizens)]
            if citizen.appointments.filter(start__date=day).exists():
                continue  # booked by an earlier run: each booking is its own transaction
            topic = topics[DEMO_TOPICS[(offset * 2 + index) % len(DEMO_TOPICS)]]
            language = citizen.language if citizen.language != "en" or offset % 2 else "nl"
            options = free_slots(
                topic=topic, language=language, start_date=day, end_date=day, now=now, digipunten=places,
                citizen=citizen,
            )  # fmt: skip
            if not options:
                continue
            slot = options[(index * 5) % len(options)]
            try:
                appointment = book(
                    citizen=citizen, digipunt=slot.digipunt, topic=topic, start=slot.start, language=language,
                    channel=channels[booked % len(channels)], now=now, notify=False,
                )  # fmt: skip
            except SlotTaken:
                continue
            booked += 1
            if booked % 9 == 0:
                cancel(appointment, reason="Demo: verhinderd", channel=appointment.channel, notify=False)


def demo_logins() -> list[tuple[str, str]]:
    return [(username, DEMO_PASSWORD) for username in [u[0] for u in USERS] + VOLUNTEER_USERNAMES]
