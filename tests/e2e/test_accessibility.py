"""axe-core (WCAG 2.1 A/AA) on the login page and every role's home page, in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from helpdesk.models import Role
from tests.factories import PASSWORD, DigipuntFactory, MunicipalityFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_people():
    municipality = MunicipalityFactory(name="Gemeente A", sms_number="+32460100001")
    DigipuntFactory(municipality=municipality, name="Bibliotheek A")
    return {
        "staff": member(Role.STAFF, municipality, "staff_a"),
        "coordinator": member(Role.COORDINATOR, municipality, "coordinator_a"),
        "volunteer": member(Role.VOLUNTEER, municipality, "volunteer_a"),
        "network_admin": member(Role.NETWORK_ADMIN, None, "network_admin"),
    }


def test_login_page_is_accessible(page, axe_check):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nl-be"
    axe_check(page)


def test_login_error_is_accessible(page, axe_check, demo_people):
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("staff_a")
    page.get_by_label("Wachtwoord").fill("wrong")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("role", ["staff", "coordinator", "volunteer", "network_admin"])
def test_home_page_of_each_role_is_accessible(page, login, axe_check, demo_people, role):
    login(demo_people[role].username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Welkom"))
    axe_check(page)


def test_home_works_at_320_px_without_horizontal_scrolling(page, login, demo_people):
    page.set_viewport_size({"width": 320, "height": 640})
    login("staff_a", PASSWORD)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_skip_link_moves_focus_to_main(page):
    page.goto("/accounts/login/", wait_until="load")
    # Start from the top of the document, as a keyboard user arriving on the page does.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de hoofdinhoud")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switcher_turns_the_page_french(page, login, axe_check, demo_people):
    login("staff_a", PASSWORD)
    # Three buttons, each named in its own language, whatever the page's language.
    for name in ("Nederlands", "Français", "English"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Français", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-be")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Bienvenue"))
    expect(page.get_by_role("button", name="Français", exact=True)).to_have_attribute("aria-current", "true")
    assert page.get_by_role("button", name="English", exact=True).get_attribute("lang") == "en"
    axe_check(page)


def test_no_csp_violations_on_the_home_page(page, login, demo_people):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    login("coordinator_a", PASSWORD)
    page.reload()
    assert not [m for m in messages if "Content Security Policy" in m]
