"""Factories for the core domain. Later issues add theirs beside these."""

import datetime

import factory
from django.contrib.auth import get_user_model

from helpdesk.models import Citizen, Closure, Digipunt, Membership, Municipality, OpeningHours, Role, Topic

PASSWORD = "test-password"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    default_language = "nl"
    sms_number = factory.Sequence(lambda n: f"+3246{n:07d}")


class DigipuntFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Digipunt
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Bibliotheek {n}")
    street = "Marktplein 1"
    postal_code = "9000"
    city = "Gent"
    languages = factory.LazyFunction(lambda: ["nl", "fr"])
    desks = 2

    @factory.post_generation
    def weekday_hours(self, create, extracted, **kwargs):
        """Open Monday to Friday 09:00-12:00 and 13:00-17:00 unless `weekday_hours=False`."""
        if not create or extracted is False:
            return
        OpeningHours.objects.bulk_create(
            OpeningHours(digipunt=self, weekday=day, opens=opens, closes=closes)
            for day in range(5)
            for opens, closes in [
                (datetime.time(9), datetime.time(12)),
                (datetime.time(13), datetime.time(17)),
            ]
        )


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    digipunt = factory.SubFactory(DigipuntFactory)
    municipality = factory.LazyAttribute(lambda o: o.digipunt.municipality if o.digipunt else None)
    start_date = datetime.date(2026, 12, 24)
    end_date = datetime.date(2026, 12, 31)
    reason = "Kerstvakantie"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    code = factory.Sequence(lambda n: f"local_topic_{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    name_nl = factory.Sequence(lambda n: f"Lokaal onderwerp {n}")
    name_fr = factory.Sequence(lambda n: f"Sujet local {n}")
    name_en = factory.Sequence(lambda n: f"Local topic {n}")


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    municipality = factory.SubFactory(MunicipalityFactory)
    phone = factory.Sequence(lambda n: f"+32470{n:06d}")
    name = "An Peeters"
    language = "nl"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.STAFF


def member(role: str, municipality: Municipality | None, username: str):
    """A user holding `role` in `municipality` (no municipality for a network admin)."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=municipality, role=role)
    return user


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An active volunteer of a municipality, serving `digipunten` (pass them) with a membership."""

    class Meta:
        model = "volunteers.Volunteer"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    phone = factory.Sequence(lambda n: f"+32471{n:06d}")
    languages = factory.LazyFunction(lambda: ["nl"])

    @factory.post_generation
    def digipunten(self, create, extracted, **kwargs):
        if create and extracted:
            self.digipunten.set(extracted)

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                user=self.user, municipality=self.municipality, defaults={"role": Role.VOLUNTEER}
            )


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteers.Availability"

    volunteer = factory.SubFactory(VolunteerFactory)
    digipunt = factory.SubFactory(DigipuntFactory)
    weekday = 0
    starts = datetime.time(9)
    ends = datetime.time(12)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteers.Application"

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = "Anna"
    last_name = "Janssens"
    email = factory.Sequence(lambda n: f"anna{n}@example.org")
    phone = factory.Sequence(lambda n: f"+32472{n:06d}")
    languages = factory.LazyFunction(lambda: ["nl", "fr"])


def bookable_volunteer(
    municipality, digipunten, *, languages=("nl",), topics=(), generalist=False, username=None
):
    """An active volunteer on duty at `digipunten` whenever they are open (Mon-Fri 9-12, 13-17),
    with blocks entered long ago so every test date counts."""
    from volunteers.models import Availability

    user = UserFactory(username=username) if username else UserFactory()
    volunteer = VolunteerFactory(
        user=user, municipality=municipality, digipunten=list(digipunten), languages=list(languages)
    )
    volunteer.is_generalist = generalist
    volunteer.save()
    from helpdesk.models import Topic

    volunteer.topics.set(Topic.objects.filter(code__in=topics))
    blocks = []
    for index, digipunt in enumerate(digipunten):
        # Several digipunten: mornings at the first, afternoons at the second, and so on.
        hours = [(datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17))]
        chosen = hours if len(digipunten) == 1 else [hours[index % 2]]
        for day in range(5):
            for starts, ends in chosen:
                blocks.append(
                    Availability(
                        volunteer=volunteer,
                        digipunt=digipunt,
                        weekday=day,
                        starts=starts,
                        ends=ends,
                        valid_from=datetime.date(2020, 1, 1),
                    )
                )
    Availability.objects.bulk_create(blocks)
    return volunteer


def one_of_everything(digipunt, *, start: datetime.datetime) -> dict:
    """A record of each kind a write can reach at `digipunt` (for tests that walk every write):
    a volunteer on duty, a citizen with an appointment at `start`, a closure, an absence, a help
    request, a guide and a local topic."""
    from help_requests.models import HelpRequest
    from tests.guides.factories import GuideFactory
    from volunteers.models import Absence

    municipality = digipunt.municipality
    volunteer = bookable_volunteer(municipality, [digipunt], topics=["taxes"], generalist=True)
    citizen = CitizenFactory(municipality=municipality, phone="+32470555001")
    day = start.date()
    return {
        "volunteer": volunteer,
        "citizen": citizen,
        "appointment": AppointmentFactory(
            digipunt=digipunt, citizen=citizen, volunteer=volunteer, start=start
        ),
        "closure": ClosureFactory(digipunt=digipunt),
        "absence": Absence.objects.create(
            volunteer=volunteer,
            start_date=day + datetime.timedelta(days=60),
            end_date=day + datetime.timedelta(days=61),
        ),
        "help_request": HelpRequest.objects.create(
            municipality=municipality,
            digipunt=digipunt,
            date=day,
            channel="phone",
            duration_minutes=20,
            outcome="solved",
            **HelpRequest.buckets(day),
        ),
        "guide": GuideFactory(municipality=municipality),
        "topic": TopicFactory(municipality=municipality, code="local_repair_cafe"),
    }


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A row as the booking function would write it (tests of the engine write rows directly)."""

    class Meta:
        model = "appointments.Appointment"

    digipunt = factory.SubFactory(DigipuntFactory)
    topic = factory.LazyFunction(lambda: Topic.objects.get(code="taxes"))
    citizen = factory.LazyAttribute(lambda o: CitizenFactory(municipality=o.digipunt.municipality))
    volunteer = factory.LazyAttribute(lambda o: VolunteerFactory(municipality=o.digipunt.municipality))
    language = "nl"
    channel = "phone"
    start = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
    end = factory.LazyAttribute(
        lambda o: o.start + datetime.timedelta(minutes=o.topic.default_duration_minutes)
    )
