"""The counter as two desks use it: the booking note on the row, check-in and "did not come"
disabled with their hint, and the walk-in queue that keeps up without reloads (call next,
"left without help" with a confirm and an undo). axe-core on every state."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from appointments.models import WalkIn
from helpdesk.models import Role
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


@pytest.fixture
def desk(taxonomy):
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000", phone="+3250123456")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp", lead_time_minutes=0)
    vera = bookable_volunteer(municipality, [digipunt], topics=["taxes"], username="vera")
    member(Role.STAFF, municipality, "staff_a")
    return digipunt, vera


def _log_in(page, username="staff_a"):
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden").click()


def test_note_and_disabled_buttons_with_their_hint(page, axe_check, desk, time_machine):
    digipunt, vera = desk
    start = datetime.datetime(2026, 12, 3, 10, 30, tzinfo=BRUSSELS)
    appointment = AppointmentFactory(
        digipunt=digipunt,
        volunteer=vera,
        citizen=CitizenFactory(municipality=digipunt.municipality, name="An Peeters"),
        start=start,
        notes="spreekt Frans, liefst donderdag",
    )
    time_machine.move_to(start - datetime.timedelta(hours=2), tick=True)  # 08:30: too early for both
    _log_in(page)
    page.goto(f"/counter/?digipunt={digipunt.pk}&date=2026-12-03")
    row = page.locator(f"#appointment-{appointment.pk}")
    expect(row.get_by_text("spreekt Frans, liefst donderdag")).to_be_visible()
    check_in = row.get_by_role("button", name="Inchecken")
    no_show = row.get_by_role("button", name="Niet gekomen")
    assert check_in.is_disabled()
    assert no_show.is_disabled()
    expect(row.get_by_text("vanaf 09:30")).to_be_visible()
    expect(row.get_by_text("vanaf 10:30")).to_be_visible()
    # The hint is the button's description for screen readers too.
    assert check_in.get_attribute("aria-describedby") == f"check-in-hint-{appointment.pk}"
    axe_check(page)

    # Ten minutes before the start check-in opens on reload; "did not come" still waits.
    time_machine.move_to(start - datetime.timedelta(minutes=10), tick=True)
    page.reload()
    row = page.locator(f"#appointment-{appointment.pk}")
    assert row.get_by_role("button", name="Inchecken").is_enabled()
    assert row.get_by_role("button", name="Niet gekomen").is_disabled()
    row.get_by_role("button", name="Inchecken").click()
    row.get_by_text("Ingecheckt").wait_for()
    axe_check(page)


def test_the_queue_keeps_up_across_two_desks(page, browser, live_server, axe_check, desk):
    digipunt, _vera = desk
    counter = f"/counter/?digipunt={digipunt.pk}"
    _log_in(page)
    # The page's own clock, to be moved on below instead of waiting out the queue's refresh.
    page.clock.install()
    page.goto(counter)
    page.evaluate("window.__noReload = true")
    axe_check(page)

    second = browser.new_context(base_url=live_server.url, locale="nl-BE").new_page()
    try:
        _log_in(second)
        second.goto(counter)
        # The second desk gives a ticket: in place, the form emptied for the next one.
        second.get_by_label("Onderwerp").select_option(label="Belastingen (MyMinfin)")
        assert second.get_by_label("Taal van de burger").input_value() == "nl"  # the municipality's
        second.get_by_label("Voornaam (niet verplicht)").fill("Jan")
        second.get_by_role("button", name="Volgnummer geven").click()
        second.locator("#walk-in-queue").get_by_text("Jan").wait_for()
        assert second.get_by_label("Voornaam (niet verplicht)").input_value() == ""
        axe_check(second)

        # The first desk sees it within 30 seconds, without a reload: 30 seconds of the page's
        # clock go by at once (its refresh timer fires), then only the request itself is awaited.
        page.clock.fast_forward("00:30")
        page.locator("#walk-in-queue").get_by_text("Jan").wait_for(timeout=5000)
        assert page.evaluate("window.__noReload") is True

        # Call next: the oldest waiting ticket, announced, in place.
        page.get_by_role("button", name="Volgende oproepen").click()
        page.locator("#walk-in-queue").get_by_text("Volgnummer 1 (Jan) is opgeroepen.").wait_for()
        assert WalkIn.objects.get().status == "called"
        # The live region is filled after htmx settles the swap, a moment after the new list shows.
        page.wait_for_function(
            "document.getElementById('queue-status').textContent.includes('opgeroepen')", timeout=5000
        )
        assert page.get_by_role("button", name="Volgende oproepen").is_disabled()  # nobody waits
        axe_check(page)

        # "Left without help" asks first; dismissing keeps the ticket.
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.get_by_role("button", name="Vertrokken zonder hulp 1").click()
        page.wait_for_timeout(500)
        assert WalkIn.objects.get().status == "called"
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Vertrokken zonder hulp 1").click()
        page.get_by_role("button", name="Ongedaan maken").wait_for()
        assert WalkIn.objects.get().status == "left"
        axe_check(page)
        page.get_by_role("button", name="Ongedaan maken").click()
        page.get_by_role("button", name="Geholpen 1").wait_for()
        assert WalkIn.objects.get().status == "called"
        assert page.evaluate("window.__noReload") is True
    finally:
        second.context.close()
