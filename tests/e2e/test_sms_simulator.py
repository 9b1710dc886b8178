"""Staff train with the SMS simulator: a booking made there appears in the counter day view."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Appointment
from helpdesk.models import Role
from tests.factories import PASSWORD, DigipuntFactory, MunicipalityFactory, bookable_volunteer, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def simulator_setup(taxonomy, settings):
    settings.SMS_BACKEND = "locmem"
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000", phone="+3250123456")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp", lead_time_minutes=0)
    bookable_volunteer(municipality, [digipunt], topics=["taxes"], username="vera")
    member(Role.STAFF, municipality, "staff_a")
    return digipunt


def send(page, text):
    page.get_by_role("textbox", name="Bericht").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").click()


def test_simulator_books_an_appointment_that_the_counter_shows(page, login, axe_check, simulator_setup):
    login("staff_a", PASSWORD)
    page.get_by_role("link", name="Sms-simulator").click()
    axe_check(page)
    page.get_by_label("Sms'en vanaf").fill("0479 12 34 56")
    send(page, "Ik wil hulp met mijn belastingen")
    thread = page.locator(".sms-thread")
    thread.get_by_text("Kies een moment").wait_for()
    axe_check(page)
    send(page, "1")
    thread.get_by_text("Geboekt: ").wait_for()
    axe_check(page)

    appointment = Appointment.objects.get()
    assert appointment.channel == "sms"
    day = timezone.localtime(appointment.start).date()
    page.goto(f"/counter/?digipunt={simulator_setup.pk}&date={day:%Y-%m-%d}")
    row = page.locator(f"#appointment-{appointment.pk}")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Belastingen")


def test_follow_up_page_is_accessible(page, login, axe_check, simulator_setup):
    login("staff_a", PASSWORD)
    page.goto("/sms/simulator/")
    page.get_by_label("Sms'en vanaf").fill("0479 12 34 56")
    send(page, "bel mij")
    page.get_by_role("link", name="Terugbellen").click()
    page.get_by_role("heading", name="Te bellen burgers").wait_for()
    axe_check(page)
    page.get_by_label("Resultaat").select_option("helped")
    page.get_by_role("button", name="Gebeld").click()
    page.get_by_text("Niemand om te bellen.").wait_for()
    axe_check(page)
