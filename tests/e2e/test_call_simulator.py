"""Staff train with the call simulator: a keypad on screen, the spoken text shown, the same TwiML
as a real call; a booking made there is a voice booking at the counter. Checked with axe-core."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from appointments.models import Appointment
from helpdesk.models import Citizen, Role
from tests.factories import PASSWORD, DigipuntFactory, MunicipalityFactory, bookable_volunteer, member
from voice.prompts import code_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def line_setup(taxonomy, settings):
    settings.SMS_BACKEND = "locmem"
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000", phone="+3250123456")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp", lead_time_minutes=0)
    bookable_volunteer(
        municipality, [digipunt], languages=["nl", "fr", "en"], generalist=True, username="vera"
    )
    member(Role.STAFF, municipality, "staff_a")
    return digipunt


def press(page, key):
    # Each key is a form post; wait for its answer before reading the screen.
    with page.expect_navigation():
        page.locator(f'.keypad button[value="{key}"]').click()


def test_call_simulator_books_by_keypad_and_is_accessible(page, login, axe_check, line_setup):
    login("staff_a", PASSWORD)
    page.goto("/voice/simulator/")
    axe_check(page)
    page.locator("#id_phone").fill("0479 12 34 56")
    with page.expect_navigation():
        page.locator("form.stacked-form button.button-primary").click()
    screen = page.locator(".phone-screen")
    expect(screen).to_contain_text("Demodorp")  # the welcome, as the TwiML says it
    axe_check(page)
    for key in ("1", "1", "1"):
        press(page, key)
    axe_check(page)
    press(page, "1")
    appointment = Appointment.objects.get()
    assert appointment.channel == "voice"
    with translation.override("nl"):
        assert screen.inner_text().count(code_words(appointment.code)) == 2  # said twice, one by one
    assert Citizen.objects.get().simulated  # never a real SMS
    axe_check(page)


def test_call_simulator_with_a_withheld_number_keys_one_in(page, login, axe_check, line_setup):
    login("staff_a", PASSWORD)
    page.goto("/voice/simulator/")
    with page.expect_navigation():
        page.locator("form.stacked-form button.button-primary").click()
    press(page, "3")
    page.locator("#id_number_keys").fill("0479112233")
    axe_check(page)
    with page.expect_navigation():
        page.locator("#id_number_keys").press("Enter")
    from conversations.models import CallbackRequest

    assert CallbackRequest.objects.get().phone == "+32479112233"
