"""Login lockout (django-axes, per username and address) and API rate limits."""

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(username, password, address, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def user(db):
    user = UserFactory(username="an")
    user.set_password("the-right-password-42")
    user.save()
    return user


def test_five_wrong_passwords_lock_that_username_from_that_address(user):
    for _ in range(4):
        assert attempt("an", "wrong", "198.51.100.1").status_code == 200
    assert attempt("an", "wrong", "198.51.100.1").status_code == 429
    locked = attempt("an", "the-right-password-42", "198.51.100.1")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]


def test_a_colleague_in_the_same_office_is_not_locked_out(user):
    colleague = UserFactory(username="bea")
    colleague.set_password("another-good-password-7")
    colleague.save()
    for _ in range(6):
        attempt("an", "wrong", "198.51.100.1")
    assert attempt("bea", "another-good-password-7", "198.51.100.1").status_code == 302


def test_an_attacker_elsewhere_cannot_lock_someone_out(user):
    for _ in range(6):
        attempt("an", "wrong", "203.0.113.66")
    assert attempt("an", "the-right-password-42", "198.51.100.1").status_code == 302


def test_forged_forwarded_for_does_not_dodge_the_lock(user):
    for index in range(6):
        attempt("an", "wrong", "203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{index}")
    assert attempt("an", "the-right-password-42", "203.0.113.66").status_code == 429


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_trusted_proxies_the_real_client_address_counts(user, settings, proxies):
    """One nginx appends the client's address; a load balancer before it adds one more entry.
    Whatever the client forges itself stays on the left and is not believed."""
    settings.TRUSTED_PROXY_COUNT = proxies
    hops = ", 10.0.0.2" if proxies == 2 else ""
    for index in range(6):
        forged = f"6.6.6.{index}, 203.0.113.66{hops}"
        attempt("an", "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=forged)
    assert (
        attempt(
            "an", "the-right-password-42", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.66{hops}"
        ).status_code
        == 429
    )
    # Someone else behind the same proxy is not locked out.
    other = attempt("an", "the-right-password-42", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.1{hops}")
    assert other.status_code == 302


@pytest.mark.parametrize("header", ["", "not-an-address", "203.0.113.66, <script>"])
def test_a_malformed_forwarded_for_falls_back_to_the_connection(settings, header):
    from django.test import RequestFactory

    from helpdesk.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == "10.0.0.1"


def test_the_api_token_endpoint_locks_out_too(user, api):
    client = api(None)

    def token(password):
        return client.post(
            "/api/v1/auth/token/", {"username": "an", "password": password}, REMOTE_ADDR="198.51.100.2"
        )

    assert [token("wrong").status_code for _ in range(5)] == [400, 400, 400, 400, 429]
    locked = token("the-right-password-42")
    assert locked.status_code == 429
    assert "token" not in locked.json()


def test_the_api_answers_429_when_a_client_goes_too_fast(api, staff_a, monkeypatch, frozen_now):
    # DRF reads the rates once, into the throttle class. Time stands still: the four calls fall in
    # one window of the limit (helpdesk/api/throttling.py).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    client = api(staff_a)
    codes = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/topics/")
    assert "detail" in refused.json()
    assert refused["Retry-After"] == "60"  # the minute's window has just begun


def test_a_forged_forwarded_for_does_not_give_a_fresh_api_limit(api, monkeypatch, frozen_now):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    client = api(None)
    codes = [
        client.post(
            "/api/v1/auth/token/",
            {"username": f"u{n}", "password": "x"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        ).status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]
