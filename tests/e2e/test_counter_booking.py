"""Booking for a caller as counter staff do it on the phone (issue 17): the day and part of the
day the caller names, in their language, with their coming appointments in view, and a way out
when nothing is free. axe-core checks every screen on the way."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from appointments import waitlist
from appointments.models import Appointment, WaitlistEntry
from helpdesk.models import Citizen, Role, Topic
from sms.models import OutboundMessage
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    CitizenFactory,
    DigipuntFactory,
    MunicipalityFactory,
    bookable_volunteer,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
THURSDAY_NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=BRUSSELS)
NEXT_THURSDAY = datetime.date(2026, 12, 3)


@pytest.fixture
def desk(taxonomy, time_machine):
    """Demodorp on Thursday 26 November 2026 at 10:00 (for the live server too)."""
    time_machine.move_to(THURSDAY_NOW, tick=True)
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000", phone="+3250123456")
    digipunt = DigipuntFactory(
        municipality=municipality,
        name="Bibliotheek Demodorp",
        accessibility_notes="Ingang zonder trappen aan de Kerkstraat.",
    )
    volunteer = bookable_volunteer(
        municipality, [digipunt], languages=["nl", "fr"], topics=["taxes"], username="vera"
    )
    member(Role.STAFF, municipality, "staff_a")
    return digipunt, volunteer


def screens_from_here(page) -> list[str]:
    """The pages loaded from now on (the current one first)."""
    seen = [page.url]
    page.on("framenavigated", lambda frame: frame == page.main_frame and seen.append(frame.url))
    return seen


def test_thursday_afternoon_next_week_in_four_screens(page, login, axe_check, desk):
    login("staff_a", PASSWORD)
    page.goto("/counter/book/")
    screens, clicks = screens_from_here(page), 0

    # Screen 1: who calls.
    axe_check(page)
    page.get_by_label("Telefoonnummer van de beller").fill("0470 12 34 56")
    page.get_by_role("button", name="Verder").click()
    clicks += 1

    # Screen 2: what, in which language, and the day and part of the day the caller names.
    page.get_by_label("Waarmee is hulp nodig?").select_option(label="Belastingen (MyMinfin)")
    page.get_by_label("Gevraagde dag (niet verplicht)").fill(NEXT_THURSDAY.isoformat())
    page.get_by_label("Namiddag").check()
    clicks += 3  # the topic, the day field, the part of the day
    axe_check(page)
    page.get_by_role("button", name="Vrije tijdstippen tonen").click()
    clicks += 1

    # Screen 3: that Thursday afternoon's times; the caller wants 14:00.
    page.get_by_role("heading", name="Vrije tijdstippen op donderdag 3 december, namiddag").wait_for()
    axe_check(page)
    page.get_by_label("14:00, Bibliotheek Demodorp").check()
    page.get_by_role("button", name="Afspraak bevestigen").click()
    clicks += 2

    # Screen 4: the slip, with the caller's digipunt's access note, then on to the next caller.
    page.get_by_role("heading", name="Je afspraak").wait_for()
    axe_check(page)
    expect(page.get_by_text("Ingang zonder trappen")).to_be_visible()
    appointment = Appointment.objects.get()
    assert appointment.start == datetime.datetime.combine(NEXT_THURSDAY, datetime.time(14), tzinfo=BRUSSELS)
    assert len(screens) == 4, screens
    assert clicks == 7
    page.get_by_role("link", name="Volgende beller").click()
    page.get_by_label("Telefoonnummer van de beller").wait_for()


def test_the_picker_moves_through_days_in_place(page, login, axe_check, desk):
    citizen = CitizenFactory(municipality=desk[0].municipality, phone="+32470123456")
    login("staff_a", PASSWORD)
    page.goto(f"/counter/book/{citizen.pk}/slot/?topic=taxes&language=nl")
    page.evaluate("window.__noReload = true")
    page.locator('a[href*="day=2026-12-04"]').first.click()
    page.get_by_role("heading", name="Vrije tijdstippen op vrijdag 4 december").wait_for()
    page.get_by_role("link", name="Voormiddag").click()
    page.get_by_role("heading", name="Vrije tijdstippen op vrijdag 4 december, voormiddag").wait_for()
    assert page.evaluate("window.__noReload") is True  # htmx swapped the picker in place
    assert "part=morning" in page.url  # and the address follows, for back and reload
    axe_check(page)


def test_a_french_appointment_gives_a_french_slip_and_a_french_sms(page, login, axe_check, desk):
    login("staff_a", PASSWORD)
    page.goto("/counter/book/")
    page.get_by_label("Telefoonnummer van de beller").fill("0470 12 34 56")
    page.get_by_role("button", name="Verder").click()
    page.get_by_label("Waarmee is hulp nodig?").select_option(label="Belastingen (MyMinfin)")
    page.locator("#id_language").select_option("fr")  # the header has a "Taal" too
    page.get_by_role("button", name="Vrije tijdstippen tonen").click()
    page.get_by_role("button", name="Afspraak bevestigen").click()
    page.get_by_role("heading", name="Votre rendez-vous").wait_for()
    axe_check(page)
    citizen = Citizen.objects.get(phone="+32470123456")
    assert citizen.language == "fr"  # what step 2 chose is kept
    confirmation = OutboundMessage.objects.get(citizen=citizen)
    assert confirmation.body.startswith("Réservé")


def test_a_new_caller_gets_the_municipalitys_language_on_an_english_screen(
    page, login, axe_check, desk, live_server
):
    municipality = desk[0].municipality
    municipality.default_language = "fr"
    municipality.save()
    login("staff_a", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/counter/book/")
    language = page.get_by_label("Language for SMS and the slip")
    assert language.input_value() == "fr"
    axe_check(page)
    page.get_by_label("Phone number of the caller").fill("0470 12 34 56")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What do they need help with?").wait_for()
    assert Citizen.objects.get(phone="+32470123456").language == "fr"
    assert page.locator("#id_language").input_value() == "fr"


def test_the_callers_coming_appointments_and_a_second_one_for_the_same_topic(page, login, axe_check, desk):
    digipunt, volunteer = desk
    citizen = CitizenFactory(municipality=digipunt.municipality, phone="+32470123456", name="An Peeters")
    existing = AppointmentFactory(
        digipunt=digipunt,
        volunteer=volunteer,
        citizen=citizen,
        start=datetime.datetime(2026, 12, 1, 10, tzinfo=BRUSSELS),
    )
    login("staff_a", PASSWORD)
    page.goto("/counter/book/")
    page.get_by_label("Telefoonnummer van de beller").fill("0470 12 34 56")
    page.get_by_role("button", name="Verder").click()

    warning = page.get_by_role("heading", name="Deze beller heeft al 1 komende afspraak")
    warning.wait_for()
    expect(page.get_by_role("link", name="Verplaatsen")).to_be_visible()
    axe_check(page)
    page.get_by_label("Waarmee is hulp nodig?").select_option(label="Belastingen (MyMinfin)")
    page.get_by_role("button", name="Vrije tijdstippen tonen").click()

    # Same topic: not without an explicit yes.
    page.locator("#same-topic").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Afspraak bevestigen").click()
    page.locator("#same-topic").wait_for()
    assert Appointment.objects.filter(citizen=citizen).count() == 1
    page.get_by_label("Ja, nog een afspraak voor dit onderwerp boeken").check()
    page.get_by_role("button", name="Afspraak bevestigen").click()
    page.get_by_role("heading", name="Je afspraak").wait_for()
    assert Appointment.objects.filter(citizen=citizen, status="booked").count() == 2
    assert Appointment.objects.get(pk=existing.pk).status == "booked"


def test_nothing_free_then_the_waitlist_with_a_wish_and_its_page(page, login, axe_check, desk):
    digipunt, _volunteer = desk
    citizen = CitizenFactory(municipality=digipunt.municipality, phone="+32470123456", name="Amal")
    other = CitizenFactory(municipality=digipunt.municipality, phone="+32470123457", name="Jan")
    waitlist.add(citizen=other, topic=Topic.objects.get(code="banking"), language="nl", channel="sms")
    login("staff_a", PASSWORD)
    page.goto(f"/counter/book/{citizen.pk}/slot/?topic=taxes&language=ar")

    # The dead end has ways out: back, another language, the waitlist.
    expect(page.get_by_role("link", name="Terug: een ander onderwerp of een andere taal")).to_be_visible()
    expect(page.get_by_role("link", name="Vrije tijdstippen in het Nederlands")).to_be_visible()
    axe_check(page)
    page.locator('input[name="weekdays"][value="3"]').check()
    page.get_by_label("Namiddag").check()
    page.get_by_role("button", name="Op de wachtlijst zetten").click()

    # The waitlist page of the digipunt, also reached from the counter.
    page.get_by_role("heading", name="Wachtlijst: Bibliotheek Demodorp").wait_for()
    entry = WaitlistEntry.objects.get(citizen=citizen)
    assert (entry.preferred_weekdays, entry.preferred_part) == ([3], "afternoon")
    axe_check(page)
    page.goto(f"/counter/?digipunt={digipunt.pk}")
    page.get_by_role("link", name="Wachtlijst van dit digipunt").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Amal")
    expect(rows.nth(1)).to_contain_text("namiddag", ignore_case=True)
