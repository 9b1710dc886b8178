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


# What went out before the reply: (to, which municipality, minutes ago, status).
EARLIER = {
    "1 min": (NOTATIONS[0], "a", 1, "sent"),
    "23 h": (NOTATIONS[0], "a", 23 * 60, "sent"),
    "25 h": (NOTATIONS[0], "a", 25 * 60, "sent"),
    "other number": ("+32470630002", "a", 1, "sent"),
    "other notation": (NOTATIONS[1], "a", 1, "sent"),
    "other municipality": (NOTATIONS[0], "b", 1, "sent"),
    "queued": (NOTATIONS[0], "a", None, "queued"),
}


@pytest.mark.parametrize(
    ("history", "refused"),
    [
        ([], False),
        (["1 min"], False),  # one below the limit of two: the reply goes
        (["1 min", "23 h"], True),
        (["1 min", "25 h"], False),  # more than a day ago: no longer counted
        (["1 min", "other number"], False),
        (["1 min", "other notation"], True),
        (["1 min", "other municipality"], True),  # a number's day, wherever it was texted from
        (["1 min", "queued"], False),  # not sent yet
    ],
)
def test_a_reply_keeps_to_the_daily_limit_the_dispatcher_keeps(
    history, refused, settings, municipality_a, municipality_b, frozen_now
):
    settings.SMS_OUTBOUND_PER_DAY = 2
    citizen = Citizen.objects.create(municipality=municipality_a, phone=NOTATIONS[0])
    for item in history:
        to, which, minutes, status = EARLIER[item]
        OutboundMessage.objects.create(
            municipality=municipality_a if which == "a" else municipality_b,
            to=to,
            body="x",
            kind="other",
            status=status,
            due_at=frozen_now,
            sent_at=None if minutes is None else frozen_now - datetime.timedelta(minutes=minutes),
        )
    assert (outbox.over_daily_limit(citizen.phone, frozen_now) is not None) is refused
    before = OutboundMessage.objects.count()
    reply = outbox.record_reply(citizen=citizen, body="Hallo", now=frozen_now)
    assert (reply is None) is refused
    assert OutboundMessage.objects.count() == before + (0 if refused else 1)
    if not refused:
        stored = OutboundMessage.objects.get(pk=reply.pk)
        assert (stored.kind, stored.status, stored.to, stored.body, stored.citizen) == (
            "reply",
            "sent",
            citizen.phone,
            "Hallo",
            citizen,
        )
        assert (stored.sent_at, stored.due_at, stored.attempts) == (frozen_now, frozen_now, 1)
