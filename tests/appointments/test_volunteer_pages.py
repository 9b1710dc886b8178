"""The volunteer's schedule and home page (issue 17, items 4 and 10)."""

import datetime

import pytest

from appointments.models import Appointment
from helpdesk.models import Role
from tests.factories import AppointmentFactory, VolunteerFactory, member

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)  # Tuesday, 11:00 in Brussels


@pytest.fixture
def helper(digipunt_a, time_machine):
    time_machine.move_to(NOW, tick=False)
    return VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a])


def visit(helper, hours_from_now, **fields):
    start = NOW + datetime.timedelta(hours=hours_from_now)
    return AppointmentFactory(digipunt=helper.digipunten.first(), volunteer=helper, start=start, **fields)


def page(web, helper, path="/volunteers/schedule/"):
    return web(helper.user).get(path, headers={"Accept-Language": "en"}).content.decode()


def test_the_booking_note_is_on_the_schedule(web, helper):
    visit(helper, 48, notes="Speaks French, prefers Thursdays")
    assert "Speaks French, prefers Thursdays" in page(web, helper)


def test_log_link_only_on_visits_that_started(web, helper):
    started = visit(helper, -0.5)
    later = visit(helper, 2)
    body = page(web, helper)
    assert f"?appointment={started.pk}&amp;next=" in body
    assert f"?appointment={later.pk}&amp;next=" not in body


def test_a_logged_visit_says_so_instead_of_offering_the_form(web, helper, taxonomy):
    done = visit(helper, -1, status=Appointment.Status.CHECKED_IN)
    client = web(helper.user)
    saved = client.post(
        f"/help/log/?appointment={done.pk}",
        {"topics": [done.topic.pk], "outcome": "solved", "duration_minutes": 30, "first_visit": "unknown"},
    )
    assert saved.status_code == 302
    body = page(web, helper)
    assert f"?appointment={done.pk}&amp;next=" not in body
    assert "Help logged" in body


def test_only_days_with_something_on_them_are_listed(web, helper):
    visit(helper, 24 * 3)
    days = web(helper.user).get("/volunteers/schedule/").context["days"]
    assert [d.day for d in days] == [datetime.date(2026, 12, 1), datetime.date(2026, 12, 4)]


def test_the_volunteer_home_shows_today_not_municipality_cards(web, helper):
    visit(helper, -0.5, notes="Bring the eID reader")
    visit(helper, 24)  # tomorrow: not on today's page
    body = page(web, helper, "/")
    assert "Today, Tuesday 01/12/2026" in body
    assert "Bring the eID reader" in body
    assert body.count("entry-appointment") == 1
    assert "Done: log the help" in body
    assert "Municipalities" not in body


def test_office_members_keep_the_overview_home(web, helper, municipality_a):
    staff = member(Role.STAFF, municipality_a, "staff_home")
    assert "Municipalities" in web(staff).get("/", headers={"Accept-Language": "en"}).content.decode()
