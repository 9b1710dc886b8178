"""Per-municipality isolation, everywhere: the outsider (staff of municipality B) opens every
page and every API endpoint, with every id of municipality A's records in every id slot, and
never sees any of A's personal or internal data.

The URL list is read from the URLconf, so a page added later is covered without editing this.
Ids read from the query string (`?appointment=`) are found in the source, and each is tried on
every page without ids in its path: another municipality's record must answer exactly as a
record that does not exist (no existence oracle), and show nothing."""

import datetime
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from appointments.models import WalkIn
from conversations.models import CallbackRequest
from help_requests.models import HelpRequest
from helpdesk.models import Topic
from sms.models import InboundMessage, OutboundMessage
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
def records_a(frozen_now, digipunt_a, staff_a, coordinator_a):
    """A's records by name, one of each kind."""
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
    return {
        "guide": guide,
        "citizen": citizen,
        "volunteer": volunteer,
        "volunteer_user": volunteer.user,
        "staff": staff_a,
        "coordinator": coordinator_a,
        "topic": local_topic,
        "appointment": appointment,
        "help_request": help_request,
        "walk_in": walk_in,
        "inbound": inbound,
        "outbound": outbound,
        "callback": callback,
        "digipunt": digipunt_a,
        "municipality": municipality,
    }


@pytest.fixture
def world_a(records_a):
    return sorted({obj.pk for obj in records_a.values()})


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


# Query-string ids ------------------------------------------------------------------------------

# `request.GET.get("x")`, `request.GET["x"]`, `query_params.get("x")`, `params.get("x")`.
QUERY_READ = re.compile(r"""(?:\bGET|\bquery_params|(?<![.\w])params)(?:\.get\(|\[)\s*["'](\w+)["']""")
# Names read through forms and filter sets bound to the query string (StatsFilterForm, NeedForm,
# SearchForm, AuditFilterForm, YearForm, the API's FilterSets): not seen by the pattern above.
FORM_PARAMS = {"municipality", "digipunt", "topic", "subject_id", "year", "q", "phone", "date", "status"}
# Each name that can name one of A's records, with the record it names: how to get its value.
QUERY_IDS = {
    "appointment": lambda r: r["appointment"].pk,
    "walk_in": lambda r: r["walk_in"].pk,
    "digipunt": lambda r: r["digipunt"].pk,
    "municipality": lambda r: r["municipality"].pk,
    "guide": lambda r: r["guide"].pk,
    "subject_id": lambda r: r["citizen"].pk,
    "topic": lambda r: r["topic"].code,
    "phone": lambda r: str(r["citizen"].phone),
}
# And the same name for a record that does not exist.
MISSING = {"topic": "no_such_topic", "phone": "+32470000999"}
MISSING_ID = 987_654
# Names that name no record: dates, pages, languages, texts, where to go next.
NOT_IDS = {"date", "from", "to", "year", "page", "next", "language", "q", "status"}


def query_names() -> set[str]:
    """Every query-string name the project's own code reads."""
    root = Path(settings.BASE_DIR)
    folders = [root / "config"] + [
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(root) and "site-packages" not in Path(app.path).parts
    ]
    names = set(FORM_PARAMS)
    for folder in folders:
        for source in folder.rglob("*.py"):
            names |= set(QUERY_READ.findall(source.read_text(encoding="utf-8")))
    return names


def test_every_query_string_name_is_classified():
    """A view that starts reading a new name from the query string must say here whether it
    names a record (and so is scanned below) or not."""
    names = query_names()
    assert {"appointment", "walk_in", "guide", "phone"} <= names  # the source was really read
    assert names - set(QUERY_IDS) - NOT_IDS == set()


def plain_paths() -> list[str]:
    return sorted(path for path in set(concrete_paths([])) if not re.search(r"[<>()?\\]", path))


def query_scan(user, records, web, api):
    """(oracles, leaks, server errors) over every path without ids, each query id in turn."""
    browser, client = web(user), api(user)
    oracles, leaks, errors = [], {}, []

    def digits(text) -> str:
        return re.sub(r"\D", "", str(text))

    def get(path, query):
        cache.clear()
        url = f"{path}?{urlencode(query)}"
        response = client.get(url) if path.startswith("/api/") else browser.get(url)
        if response.status_code >= 500 or response.status_code == 429:
            errors.append((url, response.status_code))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        # A page may echo what was asked (the number searched for): that is no leak.
        asked = digits(next(iter(query.values())))
        found = [m for m in MARKERS if m in text and not (digits(m) and digits(m) in asked)]
        if found:
            leaks[url] = found
        return response.status_code

    paths = plain_paths()
    assert len(paths) > 40
    for path in paths:
        for name, value_of in QUERY_IDS.items():
            theirs = get(path, {name: value_of(records)})
            missing = get(path, {name: MISSING.get(name, MISSING_ID)})
            if theirs != missing:
                oracles.append((path, name, theirs, missing))
    return oracles, leaks, errors


def test_query_string_ids_of_another_municipality_are_not_found_like_missing_ones(
    records_a, web, api, outsider, digipunt_b
):
    oracles, leaks, errors = query_scan(outsider, records_a, web, api)
    assert not errors
    assert not leaks
    assert not oracles


def test_the_query_scan_does_tell_records_apart_when_they_are_yours(records_a, web, api, staff_a):
    """The scan above proves something only if it can see a difference where there is one."""
    oracles, _leaks, errors = query_scan(staff_a, records_a, web, api)
    assert not errors
    differing = {(path, name) for path, name, _theirs, _missing in oracles}
    assert ("/help/log/", "appointment") in differing
    assert ("/help/log/", "walk_in") in differing
