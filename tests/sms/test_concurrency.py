"""Concurrency on PostgreSQL with real connections: dispatchers and duplicate webhooks."""

import time

import pytest
from django.db import connection
from django.test import Client

from appointments.models import Appointment
from sms import outbox
from sms.backends import LocmemBackend
from sms.models import InboundMessage, OutboundMessage
from tests.factories import CitizenFactory, DigipuntFactory, MunicipalityFactory, bookable_volunteer
from tests.sms.conftest import INBOUND, post_signed, reply_text
from tests.threads import in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]


class SlowBackend(LocmemBackend):
    """A provider that takes a moment per message, so dispatchers overlap for real."""

    def send(self, **kwargs):
        time.sleep(0.002)
        return super().send(**kwargs)


def test_four_dispatchers_at_once_send_each_message_exactly_once(taxonomy):
    municipality = MunicipalityFactory(name="Drukdorp", sms_number="+32460888888")
    citizens = [CitizenFactory(municipality=municipality) for _ in range(40)]
    for citizen in citizens:
        for n in range(5):
            outbox.queue(
                municipality_id=municipality.pk, to=citizen.phone, citizen=citizen, body=f"m{n}", kind="other"
            )
    results = in_threads(4, lambda i: outbox.dispatch(limit=10, backend=SlowBackend()))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r.get("sent", 0) for r in results) == 200
    sent_bodies = [(m["to"], m["body"]) for m in LocmemBackend.outbox]
    assert len(sent_bodies) == 200
    assert len(set(sent_bodies)) == 200  # no message twice
    assert OutboundMessage.objects.filter(status="sent").count() == 200
    # More than one dispatcher did real work.
    assert sum(1 for r in results if r.get("sent")) > 1


def test_fifty_duplicate_webhooks_book_once_and_answer_alike(taxonomy):
    municipality = MunicipalityFactory(name="Dubbeldorp", sms_number="+32460777777")
    digipunt = DigipuntFactory(municipality=municipality)
    bookable_volunteer(municipality, [digipunt], generalist=True, languages=["nl"])
    client = Client()
    base = {"AccountSid": "AC" + "0" * 32, "From": "+32479123456", "To": "+32460777777"}
    post_signed(client, INBOUND, {**base, "MessageSid": "SMfirst", "Body": "belastingen"})

    def duplicate(_index):
        response = post_signed(Client(), INBOUND, {**base, "MessageSid": "SMdup", "Body": "1"})
        return response.status_code, reply_text(response)

    results = in_threads(50, duplicate)
    assert {status for status, _text in results} == {200}, results
    assert len({text for _status, text in results}) == 1
    assert "Geboekt" in results[0][1]
    assert Appointment.objects.count() == 1
    assert InboundMessage.objects.filter(message_sid="SMdup").count() == 1
    assert OutboundMessage.objects.filter(kind="reply", body__startswith="Geboekt").count() == 1
