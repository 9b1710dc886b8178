"""The privacy pages in real Chromium with axe-core: public notice and statement, the staff
page for citizens' rights, the coordinator's audit log."""

import pytest
from playwright.sync_api import expect

from helpdesk.models import Citizen, Role
from tests.factories import PASSWORD, CitizenFactory, DigipuntFactory, MunicipalityFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def people():
    municipality = MunicipalityFactory(name="Gemeente A", sms_number="+32460100001")
    DigipuntFactory(municipality=municipality, name="Bibliotheek A")
    CitizenFactory(municipality=municipality, phone="+32470123456", name="Maria Peeters")
    return {
        "staff": member(Role.STAFF, municipality, "staff_a"),
        "coordinator": member(Role.COORDINATOR, municipality, "coordinator_a"),
    }


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_public_pages_are_accessible_in_every_language(page, axe_check, people, path, language):
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)


def test_staff_find_and_erase_a_citizen(page, login, axe_check, people):
    page.set_viewport_size({"width": 375, "height": 740})
    login("staff_a", PASSWORD)
    page.goto("/privacy/citizens/")
    axe_check(page)
    page.locator("input[name=phone]").fill("0470 12 34 56")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url("**/privacy/citizens/*/")
    assert "Maria Peeters" in page.content()
    axe_check(page)
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert download.value.suggested_filename.endswith(".json")
    page.locator("input[name=confirm]").check()
    page.locator("button.danger").click()
    page.wait_for_url("**/privacy/citizens/")
    expect(page.get_by_role("status")).to_be_visible()
    axe_check(page)
    assert not Citizen.objects.exists()


def test_coordinator_audit_log_is_accessible(page, login, axe_check, people):
    login("coordinator_a", PASSWORD)
    page.goto("/audit/")
    # The fixture's citizen was created: one entry at least.
    assert page.locator("table tbody tr").count() >= 1
    axe_check(page)
