import pytest

from tests.factories import PASSWORD, TopicFactory

pytestmark = pytest.mark.django_db


def test_token_for_valid_credentials(api, staff_a):
    response = api().post("/api/v1/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    topics = api().get("/api/v1/topics/", headers={"Authorization": f"Token {token}"})
    assert topics.status_code == 200


def test_token_refused_for_wrong_password_with_json_error(api, staff_a):
    response = api().post("/api/v1/auth/token/", {"username": "staff_a", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_requires_both_fields(api):
    response = api().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_api_requires_authentication(api):
    response = api().get("/api/v1/topics/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("nl-BE,nl;q=0.9", "Belastingen (MyMinfin)"),
        ("fr-BE,fr;q=0.9", "Impôts (MyMinfin)"),
        ("en", "Taxes (MyMinfin)"),
    ],
)
def test_topic_names_follow_accept_language(api, staff_a, accept_language, expected):
    response = api(staff_a).get("/api/v1/topics/", headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    taxes = next(t for t in response.json() if t["code"] == "taxes")
    assert taxes["name"] == expected
    assert set(taxes) >= {"code", "name", "default_duration_minutes"}


def test_topics_default_to_dutch(api, staff_a):
    response = api(staff_a).get("/api/v1/topics/")
    assert next(t for t in response.json() if t["code"] == "banking")["name"] == "Bankieren en itsme"


def test_local_topic_of_a_is_invisible_to_the_outsider(api, outsider, staff_a, municipality_a):
    TopicFactory(municipality=municipality_a, code="parking_card")
    assert "parking_card" in [t["code"] for t in api(staff_a).get("/api/v1/topics/").json()]
    assert "parking_card" not in [t["code"] for t in api(outsider).get("/api/v1/topics/").json()]
    assert api(outsider).get("/api/v1/topics/parking_card/").status_code == 404


def test_unknown_topic_code_is_404(api, staff_a):
    assert api(staff_a).get("/api/v1/topics/no_such_topic/").status_code == 404


def test_topic_code_field_names_the_unknown_code(rf, staff_a):
    from rest_framework import serializers

    from helpdesk.api.fields import TopicCodeField

    class Form(serializers.Serializer):
        topic = TopicCodeField()

    request = rf.get("/")
    request.user = staff_a
    form = Form(data={"topic": "astrology"}, context={"request": request})
    assert not form.is_valid()
    assert "astrology" in str(form.errors["topic"][0])
    form = Form(data={"topic": "taxes"}, context={"request": request})
    assert form.is_valid(), form.errors
