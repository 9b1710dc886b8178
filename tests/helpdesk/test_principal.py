"""The cached API caller (helpdesk/principal.py): a token answers from the cache, and every change
to what it rests on is seen by the very next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from helpdesk import principal
from helpdesk.models import Membership, Role, Topic
from tests.factories import DigipuntFactory

pytestmark = pytest.mark.django_db

SLOTS = "/api/v1/slots/"


@pytest.fixture(autouse=True)
def _one_process(settings):
    """The tests' cache is local memory: one process, so the principal cache may use it."""
    settings.CACHE_IN_ONE_PROCESS = True


@pytest.fixture
def caller(staff_a):
    token = Token.objects.create(user=staff_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def slots(client, digipunt, topic="taxes"):
    query = {"digipunt": digipunt.pk, "topic": topic, "from": "2026-11-30", "to": "2026-11-30"}
    return client.get(SLOTS, query)


def test_a_known_token_reads_nothing_about_the_caller_from_the_database(caller, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert slots(caller, digipunt_a).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in (
        "authtoken_token",
        "auth_user",
        "helpdesk_membership",
        "helpdesk_digipunt",
        "helpdesk_topic",
    ):
        assert f'"{table}' not in tables


def test_the_cache_holds_no_password_hash_and_no_token_key(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    token = Token.objects.get(user=staff_a)
    entry = principal.cached(token.key)
    assert entry is not None
    assert token.key not in principal._cache_key(token.key)
    assert "password" not in entry.user_values
    assert token.key not in repr(entry)


def test_the_password_is_read_from_the_database_when_asked_for(staff_a):
    token = Token.objects.create(user=staff_a)
    principal.authenticate(token.key)  # builds the cached entry
    user, _ = principal.authenticate(token.key)
    assert user.check_password("x") is False
    assert user.password == staff_a.password


def test_a_deleted_token_stops_working_at_once(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    Token.objects.filter(user=staff_a).delete()
    assert slots(caller, digipunt_a).status_code == 401


def test_a_deactivated_user_stops_working_at_once(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    staff_a.is_active = False
    staff_a.save()
    assert slots(caller, digipunt_a).status_code == 401


def test_a_removed_membership_stops_working_at_once(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    Membership.objects.filter(user=staff_a).delete()
    assert slots(caller, digipunt_a).status_code == 403


def test_a_lesser_role_stops_working_at_once(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    membership = Membership.objects.get(user=staff_a)
    membership.role = Role.VOLUNTEER
    membership.save()
    assert slots(caller, digipunt_a).status_code == 403


def test_limiting_a_membership_to_other_digipunten_is_seen_at_once(caller, staff_a, digipunt_a):
    other = DigipuntFactory(municipality=digipunt_a.municipality)
    assert slots(caller, digipunt_a).status_code == 200
    Membership.objects.get(user=staff_a).digipunten.add(other)
    response = slots(caller, digipunt_a)
    assert response.status_code == 400
    assert "digipunt" in response.json()
    assert slots(caller, other).status_code == 200
    Membership.objects.get(user=staff_a).digipunten.clear()
    assert slots(caller, digipunt_a).status_code == 200


def test_a_deactivated_digipunt_is_unknown_at_once(caller, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    digipunt_a.is_active = False
    digipunt_a.save()
    assert "digipunt" in slots(caller, digipunt_a).json()


def test_a_deactivated_topic_is_unknown_at_once(caller, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    topic = Topic.objects.get(code="taxes")
    topic.is_active = False
    topic.save()
    response = slots(caller, digipunt_a)
    assert response.status_code == 400
    assert "taxes" in str(response.json()["topic"])


def test_another_municipalitys_digipunt_and_topic_stay_unknown(caller, digipunt_a, digipunt_b):
    local = Topic.objects.create(code="b_only", name_nl="B", municipality=digipunt_b.municipality)
    response = slots(caller, digipunt_b)
    assert response.status_code == 400
    assert "digipunt" in response.json()
    response = slots(caller, digipunt_a, topic=local.code)
    assert response.status_code == 400
    assert "topic" in response.json()


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999999999999999999", "0", "1e3"])
def test_odd_digipunt_values_are_field_errors(caller, digipunt_a, value):
    response = caller.get(SLOTS, {"digipunt": value, "topic": "taxes"})
    assert response.status_code == 400
    assert "digipunt" in response.json()


def test_a_login_stamp_keeps_the_cache(caller, staff_a, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    version = principal.current()
    staff_a.save(update_fields=["last_login"])
    assert principal.current() == version
    staff_a.first_name = "Other"
    staff_a.save()
    assert principal.current() != version


def test_a_lost_cache_is_rebuilt(caller, digipunt_a):
    assert slots(caller, digipunt_a).status_code == 200
    cache.clear()
    assert slots(caller, digipunt_a).status_code == 200


def test_a_network_admin_names_any_digipunt_through_the_database(network_admin, digipunt_b):
    token = Token.objects.create(user=network_admin)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert slots(client, digipunt_b).status_code == 200
    assert "digipunt" in client.get(SLOTS, {"digipunt": 10**9, "topic": "taxes"}).json()


def test_an_unknown_token_is_refused_by_drf(api):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get(SLOTS, {"topic": "taxes"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Ongeldige token."  # DRF's own wording (nl by default)


def test_session_authentication_still_works(web, staff_a, digipunt_a):
    response = web(staff_a).get(SLOTS, {"digipunt": digipunt_a.pk, "topic": "taxes"})
    assert response.status_code == 200


def test_a_cache_of_one_process_is_not_trusted_with_callers(settings, caller, staff_a, digipunt_a):
    # Several gunicorn workers with local-memory caches would not see each other's bumps.
    settings.CACHE_IN_ONE_PROCESS = False
    assert slots(caller, digipunt_a).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert slots(caller, digipunt_a).status_code == 200
    assert any('"authtoken_token"' in q["sql"] for q in queries.captured_queries)
    assert cache.get(principal._cache_key(Token.objects.get(user=staff_a).key)) is None


def test_saving_a_cached_user_leaves_the_password_and_login_stamp_alone(staff_a):
    staff_a.last_login = staff_a.date_joined
    staff_a.save()
    password = staff_a.password
    token = Token.objects.create(user=staff_a)
    principal.authenticate(token.key)  # builds the cached entry
    user, _ = principal.authenticate(token.key)
    user.first_name = "Changed"
    user.save()
    staff_a.refresh_from_db()
    assert staff_a.first_name == "Changed"
    assert staff_a.password == password
    assert staff_a.last_login == staff_a.date_joined


def test_a_list_of_topic_codes_is_read_from_the_cached_caller(staff_a, municipality_b):
    from types import SimpleNamespace

    from rest_framework import serializers

    from helpdesk.api.fields import TopicCodeField

    Topic.objects.create(code="b_only", name_nl="B", municipality=municipality_b)
    token = Token.objects.create(user=staff_a)
    principal.authenticate(token.key)  # builds the cached entry
    user, _ = principal.authenticate(token.key)

    class Body(serializers.Serializer):
        topics = TopicCodeField(many=True)

    request = SimpleNamespace(user=user)
    with CaptureQueriesContext(connection) as queries:
        body = Body(data={"topics": ["taxes", "banking"]}, context={"request": request})
        assert body.is_valid(), body.errors
    assert [t.code for t in body.validated_data["topics"]] == ["taxes", "banking"]
    assert all(t.pk for t in body.validated_data["topics"])
    assert not queries.captured_queries
    body = Body(data={"topics": ["taxes", "b_only"]}, context={"request": request})
    assert not body.is_valid()
    assert "b_only" in str(body.errors["topics"])
