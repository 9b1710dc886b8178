"""Shared personas and helpers.

Two municipalities, A and B. Staff, coordinator and volunteer of A; `outsider` is staff of B and
must see nothing of A on any page or endpoint.
"""

import datetime
import fcntl
import os
import tempfile
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from helpdesk.models import Role
from tests.factories import DigipuntFactory, MunicipalityFactory, member

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# A Thursday morning, during opening hours; tests that care about time use `frozen_now`.
FROZEN_NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test user gets a password; production's PBKDF2 would spend most of the suite's time
    hashing them. Production keeps Django's default (PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def one_crowd_at_a_time():
    """For a test that opens dozens of database connections at once (the 50-way booking races):
    it holds a lock that the other pytest-xdist workers' such tests wait for. Two at once, on two
    workers, would pass PostgreSQL's 100 connections and fail on "too many clients"."""
    path = os.path.join(tempfile.gettempdir(), f"digipunt-tests-crowd-{os.getuid()}.lock")
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture
def sent_mail(mailoutbox):
    """`sent_mail()` runs the e-mail outbox's job (helpdesk/mail.py) and gives all it has sent."""
    from helpdesk import mail

    def send():
        mail.dispatch()
        return mailoutbox

    return send


@pytest.fixture
def frozen_now():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield FROZEN_NOW


@pytest.fixture
def municipality_a(db):
    return MunicipalityFactory(name="Gemeente A", sms_number="+32460100001")


@pytest.fixture
def municipality_b(db):
    return MunicipalityFactory(name="Gemeente B", sms_number="+32460100002")


@pytest.fixture
def digipunt_a(municipality_a):
    return DigipuntFactory(municipality=municipality_a, name="Bibliotheek A")


@pytest.fixture
def digipunt_b(municipality_b):
    return DigipuntFactory(municipality=municipality_b, name="Bibliotheek B")


@pytest.fixture
def staff_a(municipality_a):
    return member(Role.STAFF, municipality_a, "staff_a")


@pytest.fixture
def coordinator_a(municipality_a):
    return member(Role.COORDINATOR, municipality_a, "coordinator_a")


@pytest.fixture
def volunteer_a(municipality_a):
    return member(Role.VOLUNTEER, municipality_a, "volunteer_a")


@pytest.fixture
def outsider(municipality_b):
    """Staff of municipality B: must see nothing of A."""
    return member(Role.STAFF, municipality_b, "outsider")


@pytest.fixture
def coordinator_b(municipality_b):
    return member(Role.COORDINATOR, municipality_b, "coordinator_b")


@pytest.fixture
def network_admin(db):
    return member(Role.NETWORK_ADMIN, None, "network_admin")


@pytest.fixture
def api():
    """`api(user)` gives an API client authenticated as `user` (or anonymous with None)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def web():
    """`web(user)` gives a browser-like Django test client logged in as `user`."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def taxonomy(django_db_blocker):
    """The network topics, put back for transactional tests: those flush the database between
    tests, data-migration rows included, and the flush can come from any earlier test."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("helpdesk.migrations.0002_seed_topics").seed_topics
    with django_db_blocker.unblock():
        seed(apps, None)
