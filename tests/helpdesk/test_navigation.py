"""The main menu offers what the user can use (issue 17: volunteers were shown "API")."""

import pytest

from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _menu(web, user):
    return [name for name, _url, _label in web(user).get("/").context["nav_links"]]


def test_a_volunteer_sees_no_api_link(web, digipunt_a):
    volunteer = VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a])
    menu = _menu(web, volunteer.user)
    assert "api-docs" not in menu
    assert {"schedule", "help-log", "guides"} <= set(menu)


def test_office_members_keep_the_api_link(web, staff_a, coordinator_a):
    assert "api-docs" in _menu(web, staff_a)
    assert "api-docs" in _menu(web, coordinator_a)
