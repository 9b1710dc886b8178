"""Over-long credentials are refused at the input, before anything checks them.

django-axes stores the username of a failed login in a 255-character column; PostgreSQL refuses a
longer one, so a 300-character username used to be an anonymous 500 on the token endpoint and
the login page. Usernames are at most what Django's User.username holds (150), passwords at
most helpdesk.passwords.MAX_LENGTH, and a password longer than that cannot be set either."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from helpdesk import passwords
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_LONG = [
    ({"username": "a" * 300, "password": "whatever"}, "username"),
    ({"username": "a" * 151, "password": "whatever"}, "username"),
    ({"username": "an", "password": "p" * (passwords.MAX_LENGTH + 1)}, "password"),
]


@pytest.mark.parametrize(("data", "field"), TOO_LONG)
def test_the_token_endpoint_refuses_over_long_credentials_with_a_400(api, data, field):
    response = api().post("/api/v1/auth/token/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(("data", "field"), TOO_LONG)
def test_the_login_page_refuses_over_long_credentials_with_a_400(data, field):
    response = Client().post("/accounts/login/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AccessAttempt.objects.exists()


def test_the_longest_username_and_password_allowed_still_log_in(api):
    user = UserFactory(username="u" * 150)
    user.set_password("p" * passwords.MAX_LENGTH)
    user.save()
    credentials = {"username": "u" * 150, "password": "p" * passwords.MAX_LENGTH}
    assert Client().post("/accounts/login/", credentials).status_code == 302
    assert "token" in api().post("/api/v1/auth/token/", credentials, format="json").json()


def test_a_wrong_password_is_still_the_usual_answer(staff_a):
    """A well-formed attempt that fails is not a bad request: the page again, as before."""
    response = Client().post("/accounts/login/", {"username": "staff_a", "password": PASSWORD + "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 1


def test_a_password_longer_than_the_cap_cannot_be_set():
    validate_password("p" * passwords.MAX_LENGTH)
    with pytest.raises(ValidationError) as raised:
        validate_password("p" * (passwords.MAX_LENGTH + 1))
    assert raised.value.error_list[0].code == "password_too_long"
