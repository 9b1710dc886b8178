"""A person applies, staff approve, the new volunteer sets a password, availability and sees the schedule."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from helpdesk import mail as outbox
from helpdesk.models import Role
from tests.factories import PASSWORD, DigipuntFactory, MunicipalityFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demodorp(taxonomy):
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000")
    DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp")
    member(Role.STAFF, municipality, "staff_a")
    return municipality


def test_apply_approve_set_availability_and_see_schedule(
    browser, live_server, page, axe_check, login, demodorp
):
    # 1. A person applies, without an account.
    page.goto("/volunteers/apply/")
    axe_check(page)
    page.get_by_role("button", name="Kandidatuur versturen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the empty form explains what is missing
    axe_check(page)
    page.get_by_label("Gemeente waar je wilt helpen").select_option(label="Demodorp")
    page.get_by_label("Voornaam").fill("Anna")
    page.get_by_label("Familienaam").fill("Janssens")
    page.get_by_label("E-mailadres").fill("anna@example.org")
    page.get_by_label("Gsm-nummer").fill("0470 11 22 33")
    page.get_by_role("group", name="Talen die je spreekt").get_by_label("Nederlands").check()
    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Kandidatuur versturen").click()
    page.get_by_role("heading", name="Bedankt voor je kandidatuur").wait_for()

    # 2. Staff approve it.
    staff = browser.new_context(base_url=live_server.url, locale="nl-BE").new_page()
    staff.goto("/accounts/login/")
    staff.get_by_label("Gebruikersnaam").fill("staff_a")
    staff.get_by_label("Wachtwoord").fill(PASSWORD)
    staff.get_by_role("button", name="Aanmelden").click()
    staff.get_by_role("link", name="Vrijwilligers", exact=True).click()
    axe_check(staff)
    staff.get_by_role("link", name="Anna Janssens").click()
    axe_check(staff)
    staff.get_by_role("button", name="Goedkeuren en login versturen").click()
    staff.get_by_role("status").wait_for()
    axe_check(staff)

    # 3. The volunteer follows the link in the e-mail and chooses a password.
    outbox.dispatch()  # the e-mail outbox's job
    (message,) = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    axe_check(page)
    page.locator("#id_new_password1").fill("een-lang-wachtwoord-42")
    page.locator("#id_new_password2").fill("een-lang-wachtwoord-42")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.get_by_role("heading", name=re.compile("Welkom, Anna")).wait_for()

    # 4. Availability: Monday morning at the library.
    page.get_by_role("link", name="Mijn beschikbaarheid", exact=True).click()
    axe_check(page)
    page.get_by_label("Digipunt").select_option(label="Bibliotheek Demodorp")
    page.get_by_label("Weekdag").select_option(label="maandag")
    page.get_by_label("Van").fill("09:00")
    page.get_by_label("Tot").fill("12:00")
    page.get_by_role("button", name="Toevoegen").first.click()
    page.get_by_text("Beschikbaarheid toegevoegd.").wait_for()
    expect(page.get_by_text("Maandag 09:00\u201312:00, Bibliotheek Demodorp")).to_be_visible()  # en dash

    # 5. The schedule shows the coming Mondays and the calendar links.
    page.get_by_role("link", name="Mijn planning", exact=True).click()
    expect(page.get_by_text(re.compile("van dienst in Bibliotheek Demodorp")).first).to_be_visible()
    expect(page.get_by_role("link", name="Toevoegen aan Google Agenda")).to_be_visible()
    axe_check(page)


def test_schedule_and_availability_work_at_320_px(page, login, demodorp):
    from tests.factories import VolunteerFactory

    volunteer = VolunteerFactory(municipality=demodorp, digipunten=list(demodorp.digipunten.all()))
    volunteer.user.username = "vera"
    volunteer.user.save()
    page.set_viewport_size({"width": 320, "height": 640})
    login("vera", PASSWORD)
    for path in ("/volunteers/schedule/", "/volunteers/availability/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
