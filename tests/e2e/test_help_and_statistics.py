"""A volunteer logs the help of an appointment from their phone; the coordinator opens the
dashboard and exports CSV."""

import datetime
import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Appointment
from help_requests.models import HelpRequest
from helpdesk.models import Role, Topic
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


@pytest.fixture
def visit(taxonomy):
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp")
    volunteer = bookable_volunteer(municipality, [digipunt], topics=["taxes"], username="vera")
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    member(Role.COORDINATOR, municipality, "coordinator_a")
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    return AppointmentFactory(
        digipunt=digipunt,
        topic=Topic.objects.get(code="taxes"),
        volunteer=volunteer,
        citizen=CitizenFactory(municipality=municipality, name="An Peeters"),
        start=start,
        end=start + datetime.timedelta(minutes=45),
        channel="sms",
    )


def test_volunteer_logs_help_then_coordinator_reads_and_exports(page, login, axe_check, visit):
    page.set_viewport_size({"width": 375, "height": 740})  # a phone
    login("vera", PASSWORD)
    started = time.monotonic()
    actions = 0
    page.goto("/volunteers/schedule/")
    page.get_by_role("link", name="Klaar: hulp registreren").first.click()
    actions += 1
    page.get_by_role("heading", name="Hulp registreren").wait_for()
    axe_check(page)
    assert page.get_by_role("checkbox", name="Belastingen (MyMinfin)").is_checked()  # prefilled
    page.get_by_role("radio", name="Opgelost", exact=True).check()
    page.get_by_role("checkbox", name="De burger kan dit nu zelf").check()
    page.get_by_role("button", name="Opslaan").click()
    actions += 3
    page.get_by_text("Bedankt: de hulp is geregistreerd.").wait_for()
    elapsed = time.monotonic() - started
    print(f"\nvolunteer logged the help in {actions} actions, {elapsed:.1f} s in the browser")
    assert actions <= 5
    help_request = HelpRequest.objects.get()
    assert help_request.self_reliant
    assert help_request.channel == "sms"
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.COMPLETED

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login("coordinator_a", PASSWORD)
    page.get_by_role("link", name="Statistieken").click()
    page.get_by_role("heading", name="Hulp per onderwerp").wait_for()
    axe_check(page)
    expect(page.locator("#chart-topic").locator("..")).to_contain_text("Belastingen (MyMinfin)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hulpvragen (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "taxes" in content
    assert "An Peeters" not in content
    page.goto("/stats/network/")
    axe_check(page)
