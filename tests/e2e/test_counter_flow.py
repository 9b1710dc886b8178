"""Staff book for a caller in three screens, print the slip, then check in and complete at the counter."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Appointment
from helpdesk.models import Role
from tests.factories import PASSWORD, DigipuntFactory, MunicipalityFactory, bookable_volunteer, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def counter_setup(taxonomy):
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000", phone="+3250123456")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp", lead_time_minutes=0)
    bookable_volunteer(municipality, [digipunt], topics=["taxes"], username="vera")
    member(Role.STAFF, municipality, "staff_a")
    return digipunt


def test_book_for_a_caller_print_the_slip_and_serve_them(page, login, axe_check, counter_setup, time_machine):
    login("staff_a", PASSWORD)

    # Screen 1: the caller's phone number, typed the Belgian way.
    page.get_by_role("link", name="Afspraak voor een beller").first.click()
    axe_check(page)
    page.get_by_label("Telefoonnummer van de beller").fill("0470 12 34 56")
    page.get_by_label("Naam (niet verplicht)").fill("An Peeters")
    page.get_by_role("button", name="Verder").click()

    # Screen 2: topic and language.
    page.get_by_label("Waarmee is hulp nodig?").select_option(label="Belastingen (MyMinfin)")
    page.get_by_label("Taal").last.select_option("nl")
    axe_check(page)
    page.get_by_role("button", name="Vrije tijdstippen tonen").click()

    # Screen 3: the first offered time is preselected; confirm it.
    axe_check(page)
    page.get_by_role("button", name="Afspraak bevestigen").click()

    # The slip, also as it prints (A6).
    page.get_by_role("heading", name="Je afspraak").wait_for()
    appointment = Appointment.objects.get()
    expect(page.get_by_text(appointment.code)).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    assert page.pdf(format="A6")[:4] == b"%PDF"
    page.emulate_media(media="screen")

    # The counter on the appointment's day, just before it starts: check in, then done, without
    # page reloads (the clock is moved for the whole process, the live server included).
    time_machine.move_to(appointment.start - datetime.timedelta(minutes=10), tick=True)
    day = timezone.localtime(appointment.start).date()
    page.goto(f"/counter/?digipunt={counter_setup.pk}&date={day:%Y-%m-%d}")
    axe_check(page)
    page.evaluate("window.__noReload = true")
    row = page.locator(f"#appointment-{appointment.pk}")
    row.get_by_role("button", name="Inchecken").click()
    row.get_by_text("Ingecheckt").wait_for()
    assert page.evaluate("document.activeElement.tagName") == "TH"  # focus stays on the row
    row.get_by_role("button", name="Klaar").click()
    row.get_by_text("Afgerond").wait_for()
    expect(page.locator("#counter-status")).to_contain_text("Afgerond")  # the appointments live region
    assert page.evaluate("window.__noReload") is True  # htmx swapped the row in place
    appointment.refresh_from_db()
    assert appointment.status == "completed"
    axe_check(page)
