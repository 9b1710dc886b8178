"""A form POST that declares a charset other than UTF-8 is a 400, with DEBUG on as well as off.

Django refuses such a body (BadRequest, ticket #34709) but, unlike its other body errors, leaves
request.POST unparsed: under DEBUG the technical error page reads request.POST and request.FILES
to show them, raises the same BadRequest inside the error handler, and the answer was a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
BODY = b"username=an&password=%E9t%E9"


def post(client, path, charset):
    return client.generic(
        "POST", path, data=BODY, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "ascii", "cp1252"])
@pytest.mark.parametrize("enforce_csrf", [False, True])  # with CSRF, its middleware reads the body first
def test_a_form_in_another_charset_is_a_400(settings, debug, charset, enforce_csrf):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=enforce_csrf, raise_request_exception=False)
    if enforce_csrf:
        client.get("/accounts/login/")  # the CSRF cookie: the middleware then reads the body
    response = post(client, "/accounts/login/", charset)
    assert response.status_code == 400


@pytest.mark.parametrize("debug", [True, False])
def test_a_logged_in_page_answers_400_too(settings, web, staff_a, digipunt_a, debug):
    settings.DEBUG = debug
    response = post(web(staff_a), "/help/log/", "latin-1")
    assert response.status_code == 400


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_charset_is_read_as_utf8(settings, debug):
    """Django ignores a charset Python does not know and reads the body as UTF-8."""
    settings.DEBUG = debug
    response = post(Client(raise_request_exception=False), "/accounts/login/", "bogus")
    assert response.status_code == 200


def test_utf8_forms_are_untouched(settings):
    settings.DEBUG = True
    for charset in ("utf-8", "UTF-8"):
        response = Client().post(
            "/accounts/login/",
            "username=an&password=x",
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
        assert response.status_code == 200
        assert response.context["form"].data["username"] == "an"
