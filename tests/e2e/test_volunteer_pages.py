"""A volunteer on a phone (issue 17): every page they reach fits 320 and 375 px, the log form
saves with its prefilled date, focus lands on the error summary, the booking note is on the
schedule; axe-core on each of these pages."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from help_requests.models import HelpRequest
from helpdesk.models import Topic
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    CitizenFactory,
    DigipuntFactory,
    MunicipalityFactory,
    bookable_volunteer,
)
from tests.guides.factories import GuideFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Labelled text fields and menus on a page (radio buttons and checkboxes repeat "Yes"/"No" by design).
LABELS = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea'
  )).flatMap(el => Array.from(el.labels || []).map(label => label.innerText.trim()))"""


@pytest.fixture
def vera(taxonomy):
    municipality = MunicipalityFactory(name="Demodorp", sms_number="+32460200000")
    digipunt = DigipuntFactory(municipality=municipality, name="Bibliotheek Demodorp")
    volunteer = bookable_volunteer(municipality, [digipunt], topics=["taxes"], username="vera")
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    visit = AppointmentFactory(
        digipunt=digipunt,
        topic=Topic.objects.get(code="taxes"),
        volunteer=volunteer,
        citizen=CitizenFactory(municipality=municipality, name="An Peeters"),
        start=start,
        end=start + datetime.timedelta(minutes=45),
        notes="Spreekt Frans, komt liefst op donderdag",
    )
    guide = GuideFactory(
        municipality=municipality,
        title="Belastingaangifte via MyMinfin met itsme, stap voor stap voor beginners",
    )
    return {"volunteer": volunteer, "visit": visit, "guide": guide}


def volunteer_pages(vera):
    visit, guide = vera["visit"], vera["guide"]
    return [
        "/",
        "/volunteers/schedule/",
        "/volunteers/availability/",
        "/help/log/",
        f"/help/log/?appointment={visit.pk}&guide={guide.pk}",
        "/guides/",
        f"/guides/{guide.pk}/?appointment={visit.pk}",
        "/privacy/",
        "/accessibility/",
    ]


@pytest.mark.parametrize("width", [320, 375])
def test_no_volunteer_page_is_wider_than_the_phone(page, login, axe_check, vera, width):
    page.set_viewport_size({"width": width, "height": 720})
    page.goto("/accounts/login/")
    assert page.evaluate(OVERFLOW) <= 0, "/accounts/login/"
    login("vera", PASSWORD)
    for path in volunteer_pages(vera):
        response = page.goto(path)
        assert response.status == 200, path
        # Open what is folded: a <details> opened must fit too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(OVERFLOW) <= 0, f"{path} is {page.evaluate(OVERFLOW)} px too wide at {width} px"
        labels = page.evaluate(LABELS)
        assert len(labels) == len(set(labels)), f"{path}: two controls share a label: {labels}"
        if width == 375:
            axe_check(page)


def test_quick_log_saves_with_its_prefilled_date(page, login, axe_check, vera):
    page.set_viewport_size({"width": 375, "height": 740})
    login("vera", PASSWORD)
    page.goto("/help/log/")
    today = timezone.localdate().isoformat()
    assert page.get_by_label("Dag").input_value() == today  # the browser kept the ISO value
    # The result comes first, before the topics.
    first = page.locator("input[type=radio], input[type=checkbox]").first
    assert first.get_attribute("name") == "outcome"
    expect(page.get_by_label("Notitie (niet verplicht)")).to_be_hidden()  # folded away
    axe_check(page)
    page.get_by_role("radio", name="Opgelost", exact=True).check()
    page.get_by_role("checkbox", name="Belastingen (MyMinfin)").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Bedankt: de hulp is geregistreerd.").wait_for()
    (logged,) = HelpRequest.objects.filter(appointment__isnull=True)
    assert logged.date.isoformat() == today


def test_focus_moves_to_the_error_summary_after_a_failed_submit(page, login, axe_check, vera):
    page.set_viewport_size({"width": 375, "height": 740})
    login("vera", PASSWORD)
    page.goto("/help/log/")
    page.get_by_role("button", name="Opslaan").click()  # no result, no topic
    summary = page.get_by_role("alert")
    summary.wait_for()
    page.wait_for_function("document.activeElement?.hasAttribute('data-error-summary')")
    expect(summary).to_contain_text("Resultaat")
    # The summary links to the first radio button of the result.
    summary.get_by_role("link", name="Resultaat").click()
    assert page.evaluate("document.activeElement.id") == "id_outcome_0"
    axe_check(page)


def test_the_schedule_shows_the_booking_note_and_marks_the_visit_once_logged(page, login, axe_check, vera):
    page.set_viewport_size({"width": 375, "height": 740})
    login("vera", PASSWORD)
    # The home page is today, with the visit, its note and the log link.
    expect(page.get_by_text("Spreekt Frans, komt liefst op donderdag")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Mijn planning", exact=True).click()
    expect(page.get_by_text("Spreekt Frans, komt liefst op donderdag")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Klaar: hulp registreren").first.click()
    page.get_by_role("radio", name="Opgelost", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Bedankt: de hulp is geregistreerd.").wait_for()
    expect(page.get_by_role("link", name="Klaar: hulp registreren")).to_have_count(0)
    expect(page.get_by_text("Hulp geregistreerd").first).to_be_visible()
