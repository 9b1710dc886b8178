"""The voice webhooks against what Twilio (or anyone) may send: the signature, retries of a step,
garbage, and requests out of order. Never a 5xx, never a half-written record."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from appointments.models import Appointment
from voice.models import VoiceCall, VoiceStep

from .conftest import INBOUND, STATUS, post_signed

pytestmark = pytest.mark.django_db


def params(municipality, **extra):
    return {"CallSid": "CA" + "1" * 32, "From": "+32479123456", "To": str(municipality.sms_number), **extra}


@pytest.mark.parametrize("path", [INBOUND, "/voice/step/1/", STATUS])
def test_a_bad_signature_is_403_and_writes_nothing(municipality_a, path):
    body = params(municipality_a, Digits="1", CallStatus="completed")
    response = Client().post(
        path,
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": "bad"},
    )
    assert response.status_code == 403
    assert not VoiceCall.objects.exists()
    assert not VoiceStep.objects.exists()


def test_signed_with_another_token_is_403(municipality_a):
    response = post_signed(Client(), INBOUND, params(municipality_a), token="someone-else")
    assert response.status_code == 403
    assert not VoiceCall.objects.exists()


def test_get_and_json_are_refused(municipality_a):
    assert Client().get(INBOUND).status_code == 405
    response = Client().post(
        INBOUND, "{}", content_type="application/json", headers={"X-Twilio-Signature": "x"}
    )
    assert response.status_code == 400


def test_replayed_steps_get_the_same_twiml_and_book_once(call, helper):
    line = call()
    assert line.replay().content == line.response.content  # the welcome, retried
    line.press("1").press("1").press("1").press("1")
    again = line.replay()
    assert again.status_code == 200
    assert again.content == line.response.content
    assert Appointment.objects.count() == 1


def test_a_replayed_earlier_step_has_no_second_effect(call, helper):
    line = call().press("1")
    topics_step = line.gather.get("action")
    line.press("1").press("1")
    # Twilio retries the topic step late: same answer as the first time, nothing changes.
    response = post_signed(line.client, topics_step, {**line.params, "Digits": "1"})
    assert response.status_code == 200
    assert VoiceCall.objects.get().state == "confirm"


def test_a_step_out_of_order_says_the_current_question_again(call):
    line = call().press("1")
    response = post_signed(line.client, "/voice/step/77/", {**line.params, "Digits": "3"})
    assert response.status_code == 200
    assert b"Gather" in response.content
    assert VoiceCall.objects.get().state == "topic"


@pytest.mark.parametrize(
    "digits", ["", "9" * 5000, "abc", "12", "*", "#", "\x00", "1\x001", "٣", "99999999999999999999"]
)
def test_garbage_digits_never_500(call, digits):
    line = call()
    response = post_signed(line.client, line.gather.get("action"), {**line.params, "Digits": digits})
    assert response.status_code == 200
    assert b"<Response>" in response.content


@pytest.mark.parametrize(
    "speech", ["", "x" * 10000, "Guten Tag, ich möchte einen Termin", "مرحبا", "\x00\x01"]
)
def test_speech_in_another_language_or_garbage_is_not_understood_politely(call, speech):
    line = call()
    response = post_signed(line.client, line.gather.get("action"), {**line.params, "SpeechResult": speech})
    assert response.status_code == 200
    assert b"<Gather" in response.content  # asked again, the call goes on


def test_garbage_twice_ends_politely_and_keeps_the_caller(call):
    line = call().press("5").press(speech="blablabla")
    assert line.ended
    from conversations.models import CallbackRequest

    assert CallbackRequest.objects.get().reason == "not_understood"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"CallSid": ""},
        {"CallSid": "x" * 65},
        {"CallSid": "CA<script>"},
    ],
)
def test_a_missing_or_malformed_call_sid_is_400(municipality_a, body):
    for path in (INBOUND, "/voice/step/1/", STATUS):
        response = post_signed(Client(), path, {"To": str(municipality_a.sms_number), **body})
        assert response.status_code == 400
    assert not VoiceCall.objects.exists()


def test_a_step_for_an_unknown_call_is_400(municipality_a):
    response = post_signed(Client(), "/voice/step/1/", params(municipality_a, Digits="1"))
    assert response.status_code == 400


def test_a_call_to_an_unknown_number_says_so_and_writes_nothing():
    response = post_signed(
        Client(), INBOUND, {"CallSid": "CA" + "2" * 32, "From": "+32479123456", "To": "+3223456789"}
    )
    assert response.status_code == 200
    assert b"Hangup" in response.content
    assert not VoiceCall.objects.exists()


def test_status_other_than_ended_changes_nothing(call):
    line = call()
    response = post_signed(line.client, STATUS, {**line.params, "CallStatus": "in-progress"})
    assert response.status_code == 204
    assert VoiceCall.objects.get().ended_at is None
