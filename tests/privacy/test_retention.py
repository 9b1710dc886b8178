"""The retention purge: what each municipality no longer needs goes; statistics stay the same."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q

from appointments.models import WalkIn
from helpdesk import jobs
from helpdesk.models import Citizen, Municipality
from privacy import erasure as privacy
from sms.models import InboundMessage, OutboundMessage
from tests.conftest import FROZEN_NOW
from tests.factories import AppointmentFactory
from tests.privacy.records import citizen_with_history, statistics_snapshot

pytestmark = pytest.mark.django_db


def test_erasure_and_purge_keep_every_statistic_unchanged(settings, digipunt_a):
    """The acceptance test: a year of demo data plus citizens with every kind of record; erase
    some on request, purge the rest on schedule; every figure stays the same."""
    settings.DEBUG = True
    with time_machine.travel(FROZEN_NOW, tick=False):
        call_command("seed_demo", verbosity=0)
        for index in range(3):
            citizen_with_history(digipunt_a, phone=f"+3247012345{index}")
        demodorp = Municipality.objects.get(name="Demodorp")
        ids = [demodorp.pk, digipunt_a.municipality_id]
        before = statistics_snapshot(ids)
        assert before["summary"]["total"] > 100  # the demo year is really there
        privacy.erase(Citizen.objects.get(phone="+32470123450"))
        assert statistics_snapshot(ids) == before
    # Two years on, every citizen is past retention: the purge erases them all.
    with time_machine.travel(FROZEN_NOW + datetime.timedelta(days=730), tick=False):
        purged = privacy.purge()
        assert purged["citizens"] > 0
        assert not Citizen.objects.exists()
    with time_machine.travel(FROZEN_NOW, tick=False):
        assert statistics_snapshot(ids) == before
    assert not InboundMessage.objects.exclude(body="").exists()
    assert not OutboundMessage.objects.exclude(body="").exists()


def test_purge_keeps_what_is_still_within_retention(frozen_now, digipunt_a):
    recent, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=30))
    old, _ = citizen_with_history(
        digipunt_a, phone="+32470999999", when=frozen_now - datetime.timedelta(days=400)
    )
    result = privacy.purge(now=frozen_now)
    assert result["citizens"] == 1
    assert Citizen.objects.filter(pk=recent.pk).exists()
    assert not Citizen.objects.filter(pk=old.pk).exists()
    # Texts of the recent citizen are past SMS retention (90 days)? No: 30 days, so kept.
    assert InboundMessage.objects.get(citizen=recent).body == "afspraak belastingen"
    # First names at the counter go after a week, whoever they were.
    assert not WalkIn.objects.exclude(name="").exists()
    # Running it again has nothing left to do.
    assert set(privacy.purge(now=frozen_now).values()) == {0}


def test_purge_spares_citizens_with_an_upcoming_appointment(frozen_now, digipunt_a):
    old, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    AppointmentFactory(digipunt=digipunt_a, citizen=old, start=frozen_now + datetime.timedelta(days=2))
    assert privacy.purge(now=frozen_now)["citizens"] == 0


def test_retention_is_per_municipality(frozen_now, digipunt_a):
    _citizen, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=100))
    assert privacy.purge(now=frozen_now)["citizens"] == 0
    Municipality.objects.filter(pk=digipunt_a.municipality_id).update(citizen_retention_days=60)
    assert privacy.purge(now=frozen_now)["citizens"] == 1


def test_the_background_jobs_purge(frozen_now, digipunt_a):
    citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    assert jobs.run_all(force=True)["purge_personal_data"]["citizens"] == 1
    assert not Citizen.objects.exists()


def test_the_purge_spares_a_citizen_who_came_back_meanwhile(frozen_now, digipunt_a):
    """The purge lists stale citizens first; one who texts again before their turn is kept."""
    citizen, _ = citizen_with_history(digipunt_a, when=frozen_now - datetime.timedelta(days=400))
    stale = Citizen.objects.filter(last_contact_at__lt=frozen_now - datetime.timedelta(days=365))
    Citizen.objects.filter(pk=citizen.pk).update(last_contact_at=frozen_now)
    assert privacy.erase(citizen, reason="retention", still=Q(pk__in=stale)) == {}
    assert Citizen.objects.filter(pk=citizen.pk).exists()
