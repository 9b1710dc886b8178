"""Call-back requests: one open line per number, whichever channel asked."""

import pytest
from django.db import IntegrityError, transaction

from conversations import callbacks
from conversations.models import CallbackRequest
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def test_a_voice_request_is_marked_voice(municipality_a, frozen_now):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32479123456")
    request = callbacks.request(
        citizen=citizen, phone="+32479123456", reason="asked", now=frozen_now, channel="voice"
    )
    assert request.channel == CallbackRequest.Channel.VOICE


def test_sms_is_the_default_channel(municipality_a, frozen_now):
    request = callbacks.request(
        citizen=None, municipality=municipality_a, phone="+3250123456", reason="not_a_mobile", now=frozen_now
    )
    assert request.channel == "sms"


def test_asking_by_sms_then_by_voice_is_one_open_request(municipality_a, frozen_now):
    first = callbacks.request(
        citizen=None, municipality=municipality_a, phone="+32479123456", reason="asked", now=frozen_now
    )
    second = callbacks.request(
        citizen=None,
        municipality=municipality_a,
        phone="+32479123456",
        reason="asked",
        now=frozen_now,
        channel="voice",
    )
    assert first.pk == second.pk
    assert CallbackRequest.objects.count() == 1


def test_an_unknown_channel_is_refused_by_the_database(municipality_a, frozen_now):
    with pytest.raises(IntegrityError), transaction.atomic():
        CallbackRequest.objects.create(
            municipality=municipality_a,
            phone="+32479123456",
            reason="asked",
            channel="fax",
            created_at=frozen_now,
        )
