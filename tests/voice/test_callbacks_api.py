"""GET /api/v1/callbacks/: SMS and voice call-backs in one list, for the municipality's staff."""

import datetime

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from conversations import callbacks
from conversations.models import CallbackRequest

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def requests(municipality_a, municipality_b):
    sms = callbacks.request(
        citizen=None, municipality=municipality_a, phone="+32470000001", reason="asked", now=NOW
    )
    voice = callbacks.request(
        citizen=None,
        municipality=municipality_a,
        phone="+32470000002",
        reason="no_answer",
        now=NOW,
        channel="voice",
    )
    done = callbacks.request(
        citizen=None, municipality=municipality_a, phone="+32470000003", reason="asked", now=NOW
    )
    callbacks.close(done, outcome="helped", by=None)
    other = callbacks.request(
        citizen=None, municipality=municipality_b, phone="+32470000004", reason="asked", now=NOW
    )
    return sms, voice, done, other


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_open_call_backs_of_both_channels(staff_a, requests):
    response = client_for(staff_a).get("/api/v1/callbacks/?status=open")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # paginated like the other lists
    assert [(r["phone"], r["channel"], r["reason"], r["status"]) for r in body["results"]] == [
        ("+32470000001", "sms", "asked", "open"),
        ("+32470000002", "voice", "no_answer", "open"),
    ]
    assert set(body["results"][0]) == {"id", "phone", "channel", "reason", "status", "created"}


def test_without_a_status_every_request_of_the_municipality(staff_a, requests):
    body = client_for(staff_a).get("/api/v1/callbacks/").json()
    assert body["count"] == 3


def test_an_unknown_status_is_400(staff_a, requests):
    response = client_for(staff_a).get("/api/v1/callbacks/?status=maybe")
    assert response.status_code == 400
    assert "status" in response.json()


def test_another_municipality_sees_none_of_them(outsider, requests):
    body = client_for(outsider).get("/api/v1/callbacks/").json()
    assert [r["phone"] for r in body["results"]] == ["+32470000004"]


def test_volunteers_and_anonymous_are_refused(volunteer_a, requests):
    assert client_for(volunteer_a).get("/api/v1/callbacks/").status_code == 403
    assert APIClient().get("/api/v1/callbacks/").status_code in (401, 403)


def test_a_voice_call_back_appears_in_the_api(staff_a, call):
    call().press("3")
    body = client_for(staff_a).get("/api/v1/callbacks/?status=open").json()
    assert [r["channel"] for r in body["results"]] == ["voice"]
    assert CallbackRequest.objects.get().channel == "voice"


def test_a_voice_call_back_is_in_the_staff_follow_up_list(client, staff_a, call):
    call().press("3")
    client.force_login(staff_a)
    page = client.get("/sms/").content.decode()
    assert "+32479123456" in page
    with translation.override("nl"):
        label = str(CallbackRequest.Channel.VOICE.label)
    assert f"({label})" in page
