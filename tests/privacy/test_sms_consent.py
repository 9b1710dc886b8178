"""SMS consent: staff may record an opt-out, only the citizen lifts one (by texting START).

Every write path is tried: the citizen API (PATCH and PUT), the Django admin's change form, and a
plain save() as a last line. Each change of the opt-out is in the audit log, saying what changed
and nothing personal."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from appointments.booking import book
from helpdesk.models import Citizen, Topic
from privacy.models import AuditEvent
from sms.models import OutboundMessage
from tests.factories import CitizenFactory, bookable_volunteer

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def stopped(municipality_a):
    """A citizen who texted STOP."""
    return CitizenFactory(
        municipality=municipality_a, phone="+32470630001", name="An Peeters", sms_opt_out=True
    )


def book_monday(citizen, digipunt):
    return book(
        citizen=citizen,
        digipunt=digipunt,
        topic=Topic.objects.get(code="taxes"),
        start=datetime.datetime(2026, 11, 30, 9, tzinfo=BRUSSELS),
        language="nl",
        channel="phone",
    )


def test_the_api_refuses_to_lift_an_opt_out_naming_the_field(
    frozen_now, api, staff_a, stopped, municipality_a, digipunt_a
):
    bookable_volunteer(municipality_a, [digipunt_a], generalist=True, username="helper")
    response = api(staff_a).patch(f"/api/v1/citizens/{stopped.pk}/", {"sms_opt_out": False}, format="json")
    assert response.status_code == 400
    assert "sms_opt_out" in response.json()
    stopped.refresh_from_db()
    assert stopped.sms_opt_out
    # And so the next booking texts nobody.
    book_monday(stopped, digipunt_a)
    assert not OutboundMessage.objects.filter(citizen=stopped).exists()


def test_a_full_update_cannot_lift_it_either(api, staff_a, stopped):
    body = {"phone": str(stopped.phone), "name": "An Peeters", "language": "nl", "sms_opt_out": False}
    response = api(staff_a).put(f"/api/v1/citizens/{stopped.pk}/", body, format="json")
    assert response.status_code == 400
    assert "sms_opt_out" in response.json()
    stopped.refresh_from_db()
    assert stopped.sms_opt_out


def test_other_changes_to_an_opted_out_citizen_still_work(api, staff_a, stopped):
    response = api(staff_a).patch(
        f"/api/v1/citizens/{stopped.pk}/", {"name": "An Janssens", "sms_opt_out": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    stopped.refresh_from_db()
    assert (stopped.name, stopped.sms_opt_out) == ("An Janssens", True)


def test_staff_may_record_an_opt_out_and_it_is_audited(api, staff_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32470630002", name="Jan Peeters")
    response = api(staff_a).patch(f"/api/v1/citizens/{citizen.pk}/", {"sms_opt_out": True}, format="json")
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.sms_opt_out
    entry = AuditEvent.objects.filter(action="change", subject="citizen", subject_id=citizen.pk).get()
    assert "sms_opt_out" in entry.detail
    assert entry.actor == staff_a
    assert "Peeters" not in entry.detail
    assert "470630002" not in entry.detail


def test_a_change_of_something_else_does_not_claim_the_opt_out_changed(api, staff_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a)
    api(staff_a).patch(f"/api/v1/citizens/{citizen.pk}/", {"name": "Mia"}, format="json")
    entry = AuditEvent.objects.filter(action="change", subject="citizen", subject_id=citizen.pk).get()
    assert "sms_opt_out" not in entry.detail


def test_the_admin_change_form_cannot_lift_it(web, coordinator_a, stopped):
    client = web(coordinator_a)
    url = f"/admin/helpdesk/citizen/{stopped.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="sms_opt_out"' not in page.content.decode()  # shown, not editable
    response = client.post(
        url,
        {
            "municipality": stopped.municipality_id,
            "phone": "+32470630001",
            "name": "An Peeters",
            "language": "nl",
            # no sms_opt_out: an unticked box
        },
    )
    assert response.status_code == 302
    stopped.refresh_from_db()
    assert stopped.sms_opt_out


def test_the_admin_may_record_an_opt_out(web, coordinator_a, municipality_a):
    citizen = CitizenFactory(municipality=municipality_a, phone="+32470630003")
    url = f"/admin/helpdesk/citizen/{citizen.pk}/change/"
    response = web(coordinator_a).post(
        url,
        {
            "municipality": municipality_a.pk,
            "phone": "+32470630003",
            "name": "",
            "language": "nl",
            "sms_opt_out": "on",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.sms_opt_out
    entry = AuditEvent.objects.filter(action="change", subject="citizen", subject_id=citizen.pk).get()
    assert "sms_opt_out" in entry.detail


def test_no_save_lifts_it(stopped):
    citizen = Citizen.objects.get(pk=stopped.pk)
    citizen.sms_opt_out = False
    with pytest.raises(ValidationError) as error:
        citizen.save()
    assert "sms_opt_out" in error.value.message_dict
    assert Citizen.objects.get(pk=stopped.pk).sms_opt_out
    # Saving other fields of an opted-out citizen is fine.
    citizen = Citizen.objects.get(pk=stopped.pk)
    citizen.name = "An Janssens"
    citizen.save()
