"""The Twilio webhooks: signatures, idempotency, routing and hostile input."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from appointments.models import Appointment
from conversations.models import CallbackRequest
from helpdesk.models import Citizen
from sms.models import InboundMessage, OutboundMessage
from tests.sms.conftest import INBOUND, STATUS, post_signed, reply_text, sign


def params(municipality, body="AFSPRAAK", sid="SM" + "1" * 32, sender="+32479123456"):
    return {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": str(municipality.sms_number),
        "Body": body,
    }


def post(client, path, data, signature):
    return client.post(
        path,
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature} if signature is not None else {},
    )


class TestSignature:
    def test_unsigned_is_refused_and_nothing_is_written(self, municipality_a):
        response = post(Client(), INBOUND, params(municipality_a), None)
        assert response.status_code == 403
        assert not InboundMessage.objects.exists()
        assert not Citizen.objects.exists()

    def test_tampered_body_is_refused(self, municipality_a):
        data = params(municipality_a)
        signature = sign(INBOUND, data)
        data["Body"] = "ANNULEER"
        assert post(Client(), INBOUND, data, signature).status_code == 403
        assert not InboundMessage.objects.exists()

    def test_signed_with_another_token_is_refused(self, municipality_a):
        data = params(municipality_a)
        assert post(Client(), INBOUND, data, sign(INBOUND, data, token="someone-else")).status_code == 403

    def test_signature_is_over_the_public_url_not_what_django_sees(self, municipality_a, settings):
        data = params(municipality_a)
        signature = sign(INBOUND, data)  # over https://digipunt.example.be/sms/inbound/
        settings.PUBLIC_BASE_URL = "http://testserver"
        assert post(Client(), INBOUND, data, signature).status_code == 403

    def test_status_callback_needs_a_signature_too(self, municipality_a):
        data = {"MessageSid": "SM1", "MessageStatus": "delivered"}
        assert post(Client(), STATUS, data, None).status_code == 403
        assert post(Client(), STATUS, data, "bogus").status_code == 403

    def test_get_is_not_allowed(self):
        assert Client().get(INBOUND).status_code == 405


class TestIdempotency:
    def test_a_replayed_message_sid_books_once_and_confirms_once(self, municipality_a, helper):
        client = Client()
        for body, sid in (("AFSPRAAK", "SMa"), ("2", "SMb")):
            post_signed(client, INBOUND, params(municipality_a, body, sid=sid))
        first = post_signed(client, INBOUND, params(municipality_a, "1", sid="SMc"))
        again = post_signed(client, INBOUND, params(municipality_a, "1", sid="SMc"))
        assert first.status_code == again.status_code == 200
        assert Appointment.objects.count() == 1
        assert InboundMessage.objects.count() == 3
        confirmation = reply_text(first)
        assert "Geboekt" in confirmation
        # The same answer again, and no second confirmation in the log.
        assert reply_text(again) == confirmation
        assert OutboundMessage.objects.filter(kind="reply", body=confirmation).count() == 1


class TestRouting:
    def test_unknown_to_gets_a_polite_generic_reply_and_a_log_line(self, municipality_a, caplog):
        data = params(municipality_a)
        data["To"] = "+32460999999"
        response = post_signed(Client(), INBOUND, data)
        assert response.status_code == 200
        assert "Sorry" in reply_text(response)
        assert "unknown number" in caplog.text
        message = InboundMessage.objects.get()
        assert message.event == "unknown_number"
        assert message.municipality is None
        assert not Citizen.objects.exists()

    def test_a_sender_that_is_not_a_phone_number_gets_no_reply(self, municipality_a):
        response = post_signed(Client(), INBOUND, params(municipality_a, sender="DIGIPUNT"))
        assert response.status_code == 200
        assert reply_text(response) == ""
        assert InboundMessage.objects.get().event == "not_a_mobile"

    def test_a_landline_gets_no_reply_and_staff_are_told(self, municipality_a):
        response = post_signed(Client(), INBOUND, params(municipality_a, sender="+3292101010"))
        assert reply_text(response) == ""
        callback = CallbackRequest.objects.get()
        assert callback.reason == "not_a_mobile"
        assert callback.phone == "+3292101010"
        assert not OutboundMessage.objects.exists()

    def test_each_municipality_has_its_own_citizen_row(self, municipality_a, municipality_b):
        post_signed(Client(), INBOUND, params(municipality_a, sid="SMa"))
        post_signed(Client(), INBOUND, params(municipality_b, sid="SMb"))
        assert Citizen.objects.filter(phone="+32479123456").count() == 2


class TestMalformed:
    @pytest.mark.parametrize("missing", ["MessageSid", "From", "To"])
    def test_missing_fields_are_a_400(self, municipality_a, missing):
        data = params(municipality_a)
        del data[missing]
        response = post_signed(Client(), INBOUND, data)
        assert response.status_code == 400
        assert not InboundMessage.objects.exists()

    def test_a_malformed_sid_is_a_400(self, municipality_a):
        assert post_signed(Client(), INBOUND, params(municipality_a, sid="x" * 200)).status_code == 400

    def test_json_is_a_400(self, municipality_a):
        response = Client().post(INBOUND, {"a": 1}, content_type="application/json")
        assert response.status_code == 400


HOSTILE = [
    "",
    "   ",
    "🙂🙂🙂",
    "x" * 1600,
    "a" * 5000,
    "\x00\x01\x1b[31mAFSPRAAK\x7f",
    "<script>alert(1)</script>",
    "'; DROP TABLE helpdesk_citizen; --",
    "]]></Message><Message>pwned",
    "٢",  # an Arabic-Indic two
    "\uff11",  # a full-width one
    "\u202eKAARPSFA",
    "AFSPRAAK\r\n\r\nBEL MIJ",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_bodies_get_a_200_twiml_answer(body, phone_of, helper):
    phone = phone_of()
    reply = phone(body)
    phone("2")  # and the conversation goes on afterwards
    assert InboundMessage.objects.count() == 2
    assert "<script>" not in reply
    assert len(InboundMessage.objects.first().body) <= 1600


def test_an_arabic_digit_picks_from_the_menu(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    reply = phone("٢")
    assert "Belastingen" in reply


def test_inbound_rate_limit_stores_but_does_not_answer(phone_of, settings):
    settings.SMS_INBOUND_PER_HOUR = 3
    phone = phone_of()
    replies = [phone("hallo") for _ in range(5)]
    assert all(replies[:3])
    assert replies[3:] == ["", ""]
    assert InboundMessage.objects.count() == 5
    assert InboundMessage.objects.filter(event="rate_limited").count() == 2


def test_outbound_daily_limit_stops_replies(phone_of, settings):
    settings.SMS_OUTBOUND_PER_DAY = 2
    phone = phone_of()
    replies = [phone("hallo") for _ in range(3)]
    assert replies[2] == ""
    assert OutboundMessage.objects.count() == 2


def test_nul_and_control_characters_in_every_field_are_harmless(municipality_a):
    data = params(municipality_a, body="af\x00spraak")
    data["From"] = "+32479\x00123456"
    data["To"] = str(municipality_a.sms_number) + "\x00"
    response = post_signed(Client(), INBOUND, data)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert "\x00" not in message.from_number + message.to_number + message.body


def test_a_nul_in_the_body_is_cleaned_and_answered_not_refused(phone_of, helper):
    """The webhooks are exempt from the NUL refusal every other request gets
    (helpdesk.null_characters): Twilio does not resend after a 4xx, so the message would be lost."""
    reply = phone_of()("af\x00spraak")
    assert "1" in reply  # the booking dialogue's menu of topics
    assert InboundMessage.objects.get().body == "afspraak"


@pytest.mark.parametrize(
    "data",
    [
        {"MessageSid": "SM\x001", "MessageStatus": "delivered"},
        {"MessageSid": "SM1", "MessageStatus": "deli\x00vered"},
        {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "<script>"},
    ],
)
def test_malformed_status_callbacks_are_a_400(data):
    assert post_signed(Client(), STATUS, data).status_code == 400


def test_multipart_is_refused_like_any_body_twilio_does_not_send(municipality_a):
    data = params(municipality_a)
    response = Client().post(INBOUND, data, headers={"X-Twilio-Signature": sign(INBOUND, data)})
    assert response.status_code == 400


def test_a_bug_in_the_engine_loses_nothing_and_staff_call(municipality_a, monkeypatch, caplog):
    from sms import conversation

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(conversation, "handle", broken)
    response = post_signed(Client(), INBOUND, params(municipality_a))
    assert response.status_code == 200
    assert "bellen" in reply_text(response)
    assert InboundMessage.objects.get().body == "AFSPRAAK"
    assert CallbackRequest.objects.get().phone == "+32479123456"
    assert "could not be handled" in caplog.text
