"""The SMS limits count a number, not a way of writing it: +32470630001, 0470630001 and
0032470630001 are one phone (normalised to E.164 with helpdesk.phones.parse)."""

import datetime

import pytest

from helpdesk.models import Citizen
from sms import outbox
from sms.models import InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db
NOTATIONS = ["+32470630001", "0470630001", "0032470630001", "0470 63 00 01"]


def test_the_hourly_inbound_limit_counts_every_notation_of_one_number(phone_of, settings):
    settings.SMS_INBOUND_PER_HOUR = 3
    replies = [phone_of(number)("hallo") for number in NOTATIONS]
    assert all(replies[:3])
    assert replies[3] == ""
    assert list(InboundMessage.objects.order_by("pk").values_list("event", flat=True))[3] == "rate_limited"
    assert Citizen.objects.get().phone == "+32470630001"


def test_the_hourly_limit_still_lets_stop_through(phone_of, settings):
    settings.SMS_INBOUND_PER_HOUR = 2
    for number in NOTATIONS[:2]:
        phone_of(number)("hallo")
    phone_of(NOTATIONS[2])("STOP")
    assert Citizen.objects.get().sms_opt_out


def test_a_sender_that_is_no_phone_number_is_stored_as_received(phone_of):
    phone_of("ITSME")("hallo")
    assert InboundMessage.objects.get().from_number == "ITSME"


def test_the_daily_outbound_limit_counts_every_notation_of_one_number(settings, municipality_a, frozen_now):
    settings.SMS_OUTBOUND_PER_DAY = 3
    for number in NOTATIONS[:3]:
        OutboundMessage.objects.create(
            municipality=municipality_a,
            to=number,
            body="x",
            kind="other",
            status="sent",
            due_at=frozen_now,
            sent_at=frozen_now - datetime.timedelta(minutes=5),
        )
    for number in NOTATIONS:
        assert outbox.over_daily_limit(number, frozen_now) is not None
    assert outbox.over_daily_limit("+32470630002", frozen_now) is None
