"""Bodies the JSON parser cannot read are a 400, however they are built."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than Python's json module recurses: a 500 before
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"title": "unterminated',
    ],
)
def test_json_nested_too_deep_or_broken_is_a_400(api, coordinator_a, body):
    client = api(coordinator_a)
    response = client.generic("POST", "/api/v1/guides/", body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_the_nesting_message_is_translated(api, coordinator_a):
    response = api(coordinator_a).generic(
        "POST", "/api/v1/guides/", "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.json() == {"detail": "JSON-fout: te diep genest."}
