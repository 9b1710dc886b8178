"""Per-municipality isolation, everywhere: the outsider (staff of municipality B) opens every
page and every API endpoint, with every id of municipality A's records in every id slot, and
never sees any of A's personal or internal data.

The URL list is read from the URLconf, so a page added later is covered without editing this."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from appointments.models import WalkIn
from help_requests.models import HelpRequest
from helpdesk.models import Topic
from sms.models import CallbackRequest, InboundMessage, OutboundMessage
from tests.factories import AppointmentFactory, CitizenFactory, UserFactory, VolunteerFactory
from tests.guides.factories import GuideFactory

pytestmark = pytest.mark.django_db

# Things only municipality A may see. (A's name is public: the privacy notice lists every
# municipality's retention periods.)
MARKERS = [
    "Maria Geheim",
    "+32470999111",
    "470 99 91 11",
    "Geheimstraat",
    "Vera Vertrouwelijk",
    "+32471888777",
    "geheime notitie",
    "Geheim lokaal onderwerp",
    "stil bericht",
    "Geheime gids",
]


@pytest.fixture
def world_a(frozen_now, digipunt_a, staff_a, coordinator_a):
    digipunt_a.street = "Geheimstraat 1"
    digipunt_a.name = "Bibliotheek Geheimstraat"
    digipunt_a.save()
    municipality = digipunt_a.municipality
    citizen = CitizenFactory(municipality=municipality, phone="+32470999111", name="Maria Geheim")
    volunteer = VolunteerFactory(
        municipality=municipality,
        user=UserFactory(username="vera", first_name="Vera", last_name="Vertrouwelijk"),
        phone="+32471888777",
        digipunten=[digipunt_a],
    )
    local_topic = Topic.objects.create(
        code="local_secret",
        municipality=municipality,
        name_nl="Geheim lokaal onderwerp",
        default_duration_minutes=30,
    )
    appointment = AppointmentFactory(
        digipunt=digipunt_a,
        citizen=citizen,
        volunteer=volunteer,
        notes="geheime notitie",
        start=frozen_now + datetime.timedelta(hours=2),
    )
    help_request = HelpRequest.objects.create(
        municipality=municipality,
        digipunt=digipunt_a,
        date=frozen_now.date(),
        channel="phone",
        duration_minutes=20,
        outcome="solved",
        note="geheime notitie",
        **HelpRequest.buckets(frozen_now.date()),
    )
    walk_in = WalkIn.objects.create(
        digipunt=digipunt_a,
        day=frozen_now.date(),
        number=1,
        topic=local_topic,
        language="nl",
        name="Maria Geheim",
        citizen=citizen,
        arrived_at=frozen_now,
    )
    inbound = InboundMessage.objects.create(
        message_sid="SMsecret",
        municipality=municipality,
        citizen=citizen,
        from_number="+32470999111",
        to_number=str(municipality.sms_number),
        body="stil bericht",
        received_at=frozen_now,
    )
    outbound = OutboundMessage.objects.create(
        municipality=municipality,
        citizen=citizen,
        to="+32470999111",
        body="stil bericht terug",
        kind="reply",
        status="failed",
        due_at=frozen_now,
    )
    callback = CallbackRequest.objects.create(
        municipality=municipality,
        citizen=citizen,
        phone="+32470999111",
        reason="asked",
        created_at=frozen_now,
    )
    guide = GuideFactory(municipality=municipality, title="Geheime gids", shared=False, topics=[local_topic])
    ids = {
        obj.pk
        for obj in [
            guide,
            citizen,
            volunteer,
            volunteer.user,
            staff_a,
            coordinator_a,
            local_topic,
            appointment,
            help_request,
            walk_in,
            inbound,
            outbound,
            callback,
            digipunt_a,
            municipality,
        ]
    }
    return sorted(ids)


def concrete_paths(ids):
    """Every GET-able path of the URLconf, with each of A's ids in its int slots."""

    def plain(pattern) -> str:
        return str(pattern).removeprefix("^").removesuffix("$").removesuffix("\\Z")

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + plain(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + plain(entry.pattern)

    for route in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "static/", "i18n/")) or "(?P<format>" in route:
            continue
        if "<str:" in route or "<slug:" in route or "<uuid:" in route or "<path:" in route:
            # Tokens (calendar feeds) and file extensions: the extensions are tried below.
            for extension in ("csv", "xlsx", "json"):
                yield "/" + re.sub(r"<str:extension>", extension, route)
            continue
        slots = re.findall(r"<int:\w+>|\(\?P<\w+>[^)]*\)", route)
        if not slots:
            yield "/" + route
            continue
        for value in ids:
            path = route
            for slot in slots:
                path = path.replace(slot, str(value), 1)
            if re.search(r"[<>()?\\]", path):
                continue
            yield "/" + path


def scan(user, ids, web, api):
    """(leaks, server errors) over every path, as `user`."""
    browser, client = web(user), api(user)
    paths = sorted(set(concrete_paths(ids)))
    assert len(paths) > 100  # the URLconf was really walked
    leaks, errors = {}, []
    for path in paths:
        cache.clear()  # thousands of requests: the rate limit would hide answers behind 429s
        response = client.get(path) if path.startswith("/api/") else browser.get(path)
        if response.status_code >= 500 or response.status_code == 429:
            errors.append((path, response.status_code))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        found = [marker for marker in MARKERS if marker in text]
        if found:
            leaks[path] = found
    return leaks, errors


def test_the_outsider_sees_nothing_of_another_municipality(world_a, web, api, outsider):
    leaks, errors = scan(outsider, world_a, web, api)
    assert not errors
    assert not leaks


def test_the_scan_does_find_data_when_it_is_yours_to_see(world_a, web, api, staff_a):
    """The scan above proves something only if it finds A's data where A's own staff look."""
    leaks, errors = scan(staff_a, world_a, web, api)
    assert not errors
    assert "/api/v1/citizens/" in leaks
    assert "/counter/" in leaks
    assert any(path.startswith("/sms/citizens/") for path in leaks)
    assert any(path.startswith("/privacy/citizens/") for path in leaks)
    assert any(path.startswith("/guides/") for path in leaks)
