"""Twilio retries arriving at the same moment, on PostgreSQL with real connections: the same
step answered once, booked once, the same TwiML for every copy."""

import pytest
from django.db import connection
from django.test import Client

from appointments.models import Appointment
from tests.factories import DigipuntFactory, MunicipalityFactory, bookable_volunteer
from tests.sms.test_concurrency import in_threads
from voice.models import VoiceStep

from .conftest import Call, post_signed

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"
    ),
]


def test_ten_copies_of_the_confirming_step_at_once_book_once(taxonomy):
    municipality = MunicipalityFactory(name="Beldorp", sms_number="+32460777777")
    digipunt = DigipuntFactory(municipality=municipality, name="Bib Beldorp")
    bookable_volunteer(municipality, [digipunt], generalist=True, username="bel")
    line = Call(municipality.sms_number).press("1").press("1").press("1")
    action = line.gather.get("action")

    def confirm(_index):
        response = post_signed(Client(), action, {**line.params, "Digits": "1"})
        return response.status_code, response.content

    results = in_threads(10, confirm)
    assert {status for status, _body in results} == {200}
    assert len({body for _status, body in results}) == 1
    assert Appointment.objects.count() == 1
    assert (
        VoiceStep.objects.filter(call__call_sid=line.sid, step=action.strip("/").rsplit("/", 1)[-1]).count()
        == 1
    )
