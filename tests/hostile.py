"""What tests/test_hostile_api.py and tests/test_hostile_forms.py share: the hostile values, the
records they are tried on, and how a submission is run and judged.

Hostile input, everywhere: every API write and every form, one field at a time, with NUL,
10,000 characters, far-off dates, emoji and right-to-left text.

- Never a 5xx.
- NUL, over-long text and far-off dates are refused, and nothing is written: under /api/ a 4xx
  naming the field; a form a 400 (NUL) or its page again, or a redirect, with nothing written.
- Emoji and right-to-left text are valid in names and notes: refused (4xx), or accepted and
  stored exactly as typed.

The API writes are read from the OpenAPI schema (/api/schema/), the forms from the pages of the
URLconf (walked as in tests/test_isolation.py) as seen by a staff member, a coordinator, a
volunteer and someone not logged in: a write or a form added later is walked without editing
these. Each submission runs in a savepoint that is rolled back, so each starts from the same data.
"Nothing written" is read from the SQL itself: no INSERT, UPDATE or DELETE ran (the session and
the audit trail of who looked at what aside), which also catches an update a row count misses.
"""

import datetime
import re

from django.apps import apps
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from conversations.models import CallbackRequest
from help_requests.models import HelpRequest
from sms.models import OutboundMessage
from tests.factories import ApplicationFactory, VolunteerFactory, one_of_everything

NUL = "An\x00Peeters"
LONG = "x" * 10_000
FAR_OFF_DAYS = ["9999-12-31", "0001-01-01"]
FAR_OFF_MOMENTS = ["9999-12-31T23:30:00+01:00", "0001-01-01T00:30:00+01:00"]
# Emoji (with a skin tone and a joiner) and right-to-left text (Arabic, Hebrew) in one value.
WORLDLY = "Zoë 👩🏽‍💻 مريم בן-דוד"

# Writes that are not the input being stored: the session, the audit trail of who looked at
# what, and django-axes' record of a failed login (what it keeps of the attempt is cut to size;
# tests/helpdesk/test_credential_lengths.py shows over-long credentials never reach it).
NOT_INPUT = {"django_session", "privacy_auditevent", "axes_accessattempt", "axes_accessfailurelog"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def build_world(frozen_now, digipunt_a, staff_a, coordinator_a):
    """One of every record a page or a write can reach at digipunt A (the tests' `world` fixture)."""
    records = one_of_everything(digipunt_a, start=frozen_now + datetime.timedelta(hours=1))
    municipality = digipunt_a.municipality
    # A volunteer without weekly blocks yet, for the writes that add some.
    records["new_volunteer"] = VolunteerFactory(municipality=municipality, digipunten=[digipunt_a])
    records["application"] = ApplicationFactory(municipality=municipality)
    records["callback"] = CallbackRequest.objects.create(
        municipality=municipality, citizen=records["citizen"], phone="+32470555001", reason="asked",
        created_at=frozen_now,
    )  # fmt: skip
    records["undelivered"] = OutboundMessage.objects.create(
        municipality=municipality, citizen=records["citizen"], to="+32470555001", body="Herinnering",
        kind="reply", status="failed", due_at=frozen_now,
    )  # fmt: skip
    today = frozen_now.date()
    records["referral"] = HelpRequest.objects.create(
        municipality=municipality, digipunt=digipunt_a, date=today, channel="counter", duration_minutes=20,
        outcome="referred", referred_to="ocmw", follow_up_on=today + datetime.timedelta(days=14),
        **HelpRequest.buckets(today),
    )  # fmt: skip
    records.update(digipunt=digipunt_a, municipality=municipality, staff=staff_a, coordinator=coordinator_a)
    return records


# What a submission did ---------------------------------------------------------------------------


SAVEPOINT = re.compile(r'^\s*SAVEPOINT\s+"?(\w+)"?', re.IGNORECASE)
ROLLBACK_TO = re.compile(r'^\s*ROLLBACK\s+TO\s+SAVEPOINT\s+"?(\w+)"?', re.IGNORECASE)
RELEASE = re.compile(r'^\s*RELEASE\s+SAVEPOINT\s+"?(\w+)"?', re.IGNORECASE)


def tables_written(queries) -> set[str]:
    """The tables an INSERT, UPDATE or DELETE changed for good: what a view rolled back itself
    (its transaction.atomic failing, a savepoint in tests) does not count."""
    names, levels = [], [set()]
    for query in queries:
        sql = query["sql"]
        if match := SAVEPOINT.match(sql):
            names.append(match.group(1))
            levels.append(set())
        elif match := ROLLBACK_TO.match(sql):
            index = names.index(match.group(1))
            del names[index + 1 :], levels[index + 2 :]
            levels[index + 1] = set()
        elif match := RELEASE.match(sql):
            index = names.index(match.group(1))
            for level in levels[index + 1 :]:
                levels[index] |= level
            del names[index:], levels[index + 1 :]
        elif match := WRITE.match(sql):
            levels[-1].add(match.group(1).lower())
    return set().union(*levels) - NOT_INPUT


def submit(send, value):
    """(response, tables written, how `value` was stored) for one request, rolled back after."""
    cache.clear()  # rate limits would hide answers behind 429s
    savepoint = transaction.savepoint_create()
    try:
        with CaptureQueriesContext(connection) as queries:
            response = send()
        written = tables_written(queries)
        # After a 5xx the transaction may be broken (PostgreSQL), and NUL cannot be searched for.
        looked = response.status_code < 500 and NUL not in str(value)
        return response, written, stored(written, value) if looked else "absent"
    finally:
        transaction.savepoint_rollback(savepoint)


def stored(tables, value) -> str:
    """ "verbatim" when a text column of a table written to holds `value` as sent, "changed" when
    one holds only its start (cut short, characters lost or replaced), else "absent"."""
    value = value[0] if isinstance(value, list) else value
    if not isinstance(value, str) or not tables:
        return "absent"
    start = value[: 100 if value == LONG else 3]
    found = "absent"
    for model in apps.get_models():
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        if model._meta.db_table.lower() not in tables or not fields:
            continue
        for wanted, outcome in ((value, "verbatim"), (start, "changed")):
            lookups = Q.create([(f"{name}__contains", wanted) for name in fields], connector=Q.OR)
            if model._default_manager.filter(lookups).exists():
                if outcome == "verbatim":
                    return outcome
                found = outcome
    return found


def judge(kind, response, written, how, *, api, field) -> str | None:
    """What is wrong with the answer to one hostile value, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if kind == "worldly":
        if status < 400 and how == "changed":
            return f"{status}, stored in {sorted(written)} but not as typed"
        return None
    if written:
        return f"{status}, wrote to {sorted(written)}"
    if kind == "nul" and status != 400:
        return f"{status} for NUL, not the 400 of the NUL refusal"
    if api:
        if not 400 <= status < 500:
            return f"{status}, not refused"
        body = response.json() if response.get("Content-Type", "").startswith("application/json") else {}
        top = field.split(".")[0]
        if status == 400 and not any(key == top or key.startswith(top + ".") for key in body):
            return f"400 naming {sorted(body)}, not {top!r}"
    return None
