"""Schemathesis over our own OpenAPI schema: no 5xx, and every answer matches the schema.

Runs in-process through the WSGI app, authenticated as a coordinator of municipality A, with an
outsider municipality B next to it so that scoping is exercised with real data.

Hostile on purpose, beyond what the schema alone would make it try (the hooks below):
- about half the cases get a control character (NUL first among them: PostgreSQL refuses it in
  text) put into one of their strings, in the path, the query or the body;
- dates and date-times are often far off (year 1, 9999, just outside 2000-2100);
- half the queries keep only their required parameters and one other with a value meant to break
  it (a far-off date, NUL, 10,000 characters), so that other bad parameters do not answer 400
  before the one that would break is read;
- ids in paths are often those of real records, so that writes get past "not found" to the code
  that reads their fields.
NUL only breaks PostgreSQL, where CI runs this module too (and the whole suite).
"""

import datetime
import itertools

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from helpdesk.models import Role
from tests.conftest import FROZEN_NOW
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, member, one_of_everything

# Generating the schema touches no database, so it can load at collection time.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

# NUL, other C0 controls, DEL, C1 NEL, and the invisible or direction-changing code points.
HOSTILE_CHARACTERS = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\u200b\u200f\u202e\u2028\ufeff"
SENSIBLE_DAYS = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))
FAR_OFF_DAYS = st.sampled_from(
    [
        datetime.date(1, 1, 1),
        datetime.date(1999, 12, 31),
        datetime.date(2101, 1, 1),
        datetime.date(9999, 12, 31),
    ]
)
FAR_OFF_MOMENTS = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:30:00Z",
        "1999-12-31T23:59:59Z",
        "2101-01-01T00:00:00Z",
        "9999-12-31T23:30:00+01:00",
        "9999-12-31T23:59:59-12:00",
    ]
)
schemathesis.openapi.format("date", st.one_of(SENSIBLE_DAYS, FAR_OFF_DAYS).map(datetime.date.isoformat))
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.datetimes(
            min_value=datetime.datetime(2000, 1, 1),
            max_value=datetime.datetime(2100, 12, 31),
            timezones=st.just(datetime.UTC),
        ).map(datetime.datetime.isoformat),
        FAR_OFF_MOMENTS,
    ),
)


def _strings(value, path=()):
    """The paths to every string inside a generated value."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _replaced(value, path, change):
    if not path:
        return change(value)
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], change)
    return copy


def hostile(value):
    """The value as generated, or with a control character put into one of its strings, or into
    all of them (so that whichever field is looked up in the database carries it)."""
    paths = list(_strings(value))
    if not paths:
        return st.just(value)

    def put(chosen, character, where):
        def insert(text):
            at = where % (len(text) + 1)
            return text[:at] + character + text[at:]

        changed = value
        for path in chosen:
            changed = _replaced(changed, path, insert)
        return changed

    characters, places = st.sampled_from(HOSTILE_CHARACTERS), st.integers(0, 40)
    return st.one_of(
        st.just(value),
        st.builds(put, st.sampled_from(paths).map(lambda path: [path]), characters, places),
        st.builds(put, st.just(paths), characters, places),
    )


# The resource named before an id in a path, and where its real ids are. The fixture fills
# REAL_IDS; cases drawn before it ran (at collection) keep the ids they were generated with.
RESOURCES = {
    "appointments": ("appointments.Appointment", "pk"),
    "citizens": ("helpdesk.Citizen", "pk"),
    "digipunten": ("helpdesk.Digipunt", "pk"),
    "closures": ("helpdesk.Closure", "pk"),
    "guides": ("guides.Guide", "pk"),
    "volunteers": ("volunteers.Volunteer", "pk"),
    "absences": ("volunteers.Absence", "pk"),
    "availability": ("volunteers.Availability", "pk"),
    "topics": ("helpdesk.Topic", "code"),
}
REAL_IDS: dict[str, list] = {}


def real_ids(context, parameters):
    """Each path parameter as generated, or the id of a real record of its resource."""
    segments = context.operation.path.strip("/").split("/")
    choices = {}
    for before, segment in itertools.pairwise(segments):
        name = segment.strip("{}")
        known = REAL_IDS.get(before)
        if segment.startswith("{") and name in parameters and known:
            value = parameters[name]
            # Keep the generated type: a pattern-typed id ("^\d+$") stays a string.
            known = [str(k) for k in known] if isinstance(value, str) else known
            choices[name] = st.one_of(st.just(value), st.sampled_from(known))
    if not choices:
        return st.just(parameters)
    return st.fixed_dictionaries(
        {name: choices.get(name, st.just(value)) for name, value in parameters.items()}
    )


@schema.hook("flatmap_path_parameters")
def _path_parameters(context, parameters):
    return real_ids(context, parameters).flatmap(hostile)


def breaking_values(parameter):
    """Values meant to break one query parameter, by its schema."""
    definition = parameter.get("schema", {})
    if definition.get("format") == "date":
        return st.sampled_from(["0001-01-01", "9999-12-31"])  # the ends of Python's calendar
    if definition.get("format") == "date-time":
        return st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
    if definition.get("type") == "integer":
        return st.sampled_from([0, -1, 2**63, 10**30])
    return st.sampled_from(["\x00", "taxes\x00", "0470\x00123456", "\x1b[31m", "x" * 10_000])


def focused(context, query):
    """The required parameters as generated and one other parameter with a breaking value, so
    that other bad parameters do not answer 400 before the one that would break gets read."""
    spec = schema.raw_schema["paths"][context.operation.path][context.operation.method.lower()]
    parameters = {p["name"]: p for p in spec.get("parameters", []) if p["in"] == "query"}
    if not parameters:
        return st.just(query)
    required = {
        name: value for name, value in (query or {}).items() if parameters.get(name, {}).get("required")
    }
    return st.sampled_from(sorted(parameters)).flatmap(
        lambda name: breaking_values(parameters[name]).map(lambda value: {**required, name: value})
    )


@schema.hook("flatmap_query")
def _query(context, query):
    # A third as generated or with control characters, two thirds focused on one parameter.
    return st.integers(0, 2).flatmap(lambda n: hostile(query) if n == 0 else focused(context, query))


@schema.hook("flatmap_body")
def _body(context, body):
    return hostile(body)


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The real WSGI handler closes "old" connections around each request, which would end the
    test's transaction on PostgreSQL; Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(db):
    municipality = MunicipalityFactory(name="Gemeente A", sms_number="+32460100001")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek A")
    one_of_everything(digipunt, start=FROZEN_NOW + datetime.timedelta(days=4))
    other = MunicipalityFactory(name="Gemeente B", sms_number="+32460100002")
    DigipuntFactory(municipality=other, name="Bibliotheek B")
    CitizenFactory(municipality=other)
    user = member(Role.COORDINATOR, municipality, "fuzz_coordinator")
    for resource, (model, field) in RESOURCES.items():
        REAL_IDS[resource] = sorted(apps.get_model(model).objects.values_list(field, flat=True))
    yield Token.objects.create(user=user).key
    REAL_IDS.clear()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_errors_and_matches_its_schema(case, coordinator_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {coordinator_token}"},
        # Both data checks judge the schema's precision rather than the API's safety: ids the
        # fuzzer invents do not exist (400/404 is right), and rules such as "a Belgian mobile
        # number" are stricter than a schema can say.
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )
