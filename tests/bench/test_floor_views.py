"""The bench's floor views (bench/bench_urls.py) answer as the benchmark expects, and only under
the bench's URLconf: production URLs never reach them."""

import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import Resolver404, resolve
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from helpdesk import twilio_signatures
from sms.models import InboundMessage

BENCH = str(Path(__file__).resolve().parents[2] / "bench")

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings, monkeypatch):
    monkeypatch.syspath_prepend(BENCH)
    settings.ROOT_URLCONF = "bench_urls"
    yield
    sys.modules.pop("bench_urls", None)


@pytest.mark.parametrize("path", ["/bench/floor/api/", "/bench/floor/twilio/", "/bench/floor/twilio-store/"])
def test_production_urls_do_not_have_the_floors(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_api_floor_needs_a_token_and_answers_an_empty_list(bench_urls, staff_a):
    client = APIClient()
    assert client.get("/bench/floor/api/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_a).key}")
    response = client.get("/bench/floor/api/")
    assert response.status_code == 200
    assert response.json() == []


def test_the_twilio_floor_needs_a_signature(bench_urls, client, settings):
    settings.TWILIO_AUTH_TOKEN = "t" * 32
    settings.PUBLIC_BASE_URL = "http://testserver"
    params = {"MessageSid": "SM" + "1" * 32}
    form = {"data": urlencode(params), "content_type": "application/x-www-form-urlencoded"}
    assert client.post("/bench/floor/twilio/", **form).status_code == 403
    signature = twilio_signatures.sign("/bench/floor/twilio/", params)
    response = client.post("/bench/floor/twilio/", **form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert response.content == b"<Response/>"


def test_the_storing_floor_keeps_one_row_per_signed_message(bench_urls, client, settings):
    settings.TWILIO_AUTH_TOKEN = "t" * 32
    settings.PUBLIC_BASE_URL = "http://testserver"
    params = {"MessageSid": "SM" + "2" * 32}
    form = {"data": urlencode(params), "content_type": "application/x-www-form-urlencoded"}
    assert client.post("/bench/floor/twilio-store/", **form).status_code == 403
    assert not InboundMessage.objects.exists()
    signature = twilio_signatures.sign("/bench/floor/twilio-store/", params)
    response = client.post("/bench/floor/twilio-store/", **form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert list(InboundMessage.objects.values_list("message_sid", flat=True)) == [params["MessageSid"]]
