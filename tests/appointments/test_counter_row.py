"""The appointment row on the counter: the booking note, and check-in / "did not come" shown
disabled with the time they open (the rule is appointments.lifecycle's)."""

import datetime
import re
import zoneinfo

import pytest
from django.test import Client

from appointments import lifecycle
from appointments.booking import book
from helpdesk.models import Topic
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TEN = datetime.datetime(2026, 11, 30, 10, tzinfo=BRUSSELS)  # the factory's default start


def _button(html: str, label: str) -> str:
    match = re.search(r"<button[^>]*>" + re.escape(label), html)
    assert match, label
    return match.group(0)


def _book(citizen, digipunt, staff, notes=""):
    """Through the one booking function, at 09:00 on Monday 30 November (Vera is free then)."""
    return book(
        citizen=citizen,
        digipunt=digipunt,
        topic=Topic.objects.get(code="taxes"),
        start=TEN - datetime.timedelta(hours=1),
        language="nl",
        channel="phone",
        by=staff,
        notes=notes,
    )


def _row(client, appointment) -> str:
    html = client.get("/counter/", {"date": "2026-11-30"}).content.decode()
    start = html.index(f'<tr id="appointment-{appointment.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_booking_note_is_on_the_counter_row(web, staff_a, vera, digipunt_a):
    appointment = AppointmentFactory(
        digipunt=digipunt_a, volunteer=vera, notes="spreekt Frans, liefst donderdag"
    )
    assert "spreekt Frans, liefst donderdag" in _row(web(staff_a), appointment)


def test_a_note_is_escaped(web, staff_a, vera, digipunt_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera, notes="<script>x</script>")
    row = _row(web(staff_a), appointment)
    assert "<script>x" not in row
    assert "&lt;script&gt;x" in row


def test_days_ahead_both_buttons_are_disabled_with_the_time_they_open(web, staff_a, vera, digipunt_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    row = _row(web(staff_a), appointment)
    check_in, no_show = _button(row, "Inchecken"), _button(row, "Niet gekomen")
    assert "disabled" in check_in
    assert "disabled" in no_show
    assert "vanaf 09:00" in row  # check-in: an hour before
    assert "vanaf 10:00" in row  # did not come: from the start
    assert f'aria-describedby="check-in-hint-{appointment.pk}"' in check_in
    assert 'data-enable-at="2026-11-30T09:00:00+01:00"' in check_in


def test_half_an_hour_before_check_in_is_open_and_no_show_not(web, staff_a, vera, digipunt_a, time_machine):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    time_machine.move_to(TEN - datetime.timedelta(minutes=30), tick=False)
    row = _row(web(staff_a), appointment)
    assert "disabled" not in _button(row, "Inchecken")
    assert "disabled" in _button(row, "Niet gekomen")
    assert "vanaf 10:00" in row
    assert "vanaf 09:00" not in row


def test_after_the_start_nothing_is_disabled(web, staff_a, vera, digipunt_a, at_the_counter):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    row = _row(web(staff_a), appointment)
    assert "disabled" not in row
    assert "vanaf" not in row


def test_the_hint_follows_lifecycles_rule(web, staff_a, vera, digipunt_a, monkeypatch):
    """Not a copy: change the rule in lifecycle and the counter follows."""
    monkeypatch.setattr(lifecycle, "CHECK_IN_EARLY", datetime.timedelta(minutes=30))
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    assert "vanaf 09:30" in _row(web(staff_a), appointment)


def test_a_row_swapped_in_by_htmx_keeps_the_hints(web, staff_a, vera, digipunt_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    response = web(staff_a).post(
        f"/counter/appointments/{appointment.pk}/check-in/", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'role="alert"' in html  # too early: refused by lifecycle all the same
    assert "disabled" in _button(html, "Inchecken")


def test_check_in_is_called_inchecken_and_login_stays_aanmelden(
    web, staff_a, vera, digipunt_a, at_the_counter
):
    appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera)
    client = web(staff_a)
    response = client.post(
        f"/counter/appointments/{appointment.pk}/check-in/", headers={"HX-Request": "true"}
    )
    assert "Ingecheckt" in response.content.decode()
    assert "Aanmelden" not in _row(client, appointment)
    login = Client().get("/accounts/login/").content.decode()  # signed out
    assert "Aanmelden" in login


def test_the_volunteer_email_carries_the_note(
    staff_a, vera, digipunt_a, citizen_a, sent_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(citizen_a, digipunt_a, staff_a, notes="spreekt Frans, liefst donderdag")
    (sent,) = sent_mail()
    assert "Notitie: spreekt Frans, liefst donderdag" in sent.body
    assert citizen_a.phone.as_national not in sent.body  # still no contact details


def test_no_note_no_note_line(
    staff_a, vera, digipunt_a, citizen_a, sent_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(citizen_a, digipunt_a, staff_a)
    assert "Notitie" not in sent_mail()[0].body


def test_a_moved_appointment_mails_the_note_too(
    staff_a, vera, digipunt_a, citizen_a, sent_mail, django_capture_on_commit_callbacks
):
    appointment = _book(citizen_a, digipunt_a, staff_a, notes="brengt eigen laptop")
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.reschedule(appointment, start=TEN + datetime.timedelta(hours=1), by=staff_a)
    assert any("Notitie: brengt eigen laptop" in mail.body for mail in sent_mail())
