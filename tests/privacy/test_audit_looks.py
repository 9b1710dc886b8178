"""Every look at a citizen's data leaves an audit entry, wherever it is shown: the counter's
booking screens, the slip, the API's detail of an appointment, the admin's citizen pages. A look
that was refused (404) or showed nothing (a redirect) leaves none.

The SMS simulator never shows a real citizen's thread: only those made in the simulator."""

import datetime

import pytest

from privacy.models import AuditEvent
from sms.models import InboundMessage, OutboundMessage
from tests.factories import AppointmentFactory, CitizenFactory

pytestmark = pytest.mark.django_db


def looks(subject, subject_id=None):
    events = AuditEvent.objects.filter(action="view", subject=subject)
    if subject_id is not None:
        events = events.filter(subject_id=subject_id)
    return list(events.order_by("pk"))


@pytest.fixture
def citizen(municipality_a):
    return CitizenFactory(municipality=municipality_a, phone="+32470630001", name="Maria Geheim")


class TestSimulator:
    @pytest.fixture
    def real_thread(self, citizen, municipality_a, frozen_now):
        for n in range(4):
            InboundMessage.objects.create(
                message_sid=f"SMreal{n}",
                municipality=municipality_a,
                citizen=citizen,
                from_number="+32470630001",
                to_number=str(municipality_a.sms_number),
                body=f"echt bericht {n}",
                received_at=frozen_now,
            )
        for n in range(3):
            OutboundMessage.objects.create(
                municipality=municipality_a,
                citizen=citizen,
                to="+32470630001",
                body=f"echt antwoord {n}",
                kind="reply",
                status="sent",
                due_at=frozen_now,
            )

    def test_a_real_citizens_thread_is_never_shown(self, web, staff_a, municipality_a, real_thread):
        page = web(staff_a).get(
            "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "0470 63 00 01"}
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "echt bericht" not in text
        assert "echt antwoord" not in text
        assert page.context["citizen"] is None
        assert page.context["thread"] == []

    def test_a_simulated_citizens_thread_is_shown(self, web, staff_a, municipality_a):
        client = web(staff_a)
        response = client.post(
            "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "0470 00 00 01", "body": "hallo"}
        )
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert page.context["citizen"].simulated
        assert "hallo" in page.content.decode()


class TestCounterBooking:
    def test_both_booking_screens_record_a_look_at_the_citizen(self, web, staff_a, digipunt_a, citizen):
        client = web(staff_a)
        assert client.get(f"/counter/book/{citizen.pk}/").status_code == 200
        assert client.get(f"/counter/book/{citizen.pk}/slot/", {"topic": "taxes"}).status_code == 200
        entries = looks("citizen", citizen.pk)
        assert len(entries) == 2
        assert {(e.actor, e.municipality_id, e.via) for e in entries} == {
            (staff_a, citizen.municipality_id, "web")
        }
        assert all(e.detail for e in entries)
        assert all("Geheim" not in e.detail and "630001" not in e.detail for e in entries)

    def test_a_refused_look_leaves_no_entry(self, web, outsider, digipunt_b, citizen):
        assert web(outsider).get(f"/counter/book/{citizen.pk}/").status_code == 404
        assert web(outsider).get(f"/counter/book/{citizen.pk}/slot/", {"topic": "taxes"}).status_code == 404
        assert looks("citizen") == []

    def test_the_slip_records_a_look_at_the_appointment(self, web, staff_a, digipunt_a, citizen, frozen_now):
        appointment = AppointmentFactory(
            digipunt=digipunt_a, citizen=citizen, start=frozen_now + datetime.timedelta(days=1)
        )
        assert web(staff_a).get(f"/counter/appointments/{appointment.pk}/slip/").status_code == 200
        [entry] = looks("appointment", appointment.pk)
        assert entry.municipality_id == digipunt_a.municipality_id


class TestApi:
    def test_one_appointment_through_the_api_is_a_look(self, api, staff_a, digipunt_a, citizen, frozen_now):
        appointment = AppointmentFactory(
            digipunt=digipunt_a, citizen=citizen, start=frozen_now + datetime.timedelta(days=1)
        )
        response = api(staff_a).get(f"/api/v1/appointments/{appointment.pk}/")
        assert response.status_code == 200
        [entry] = looks("appointment", appointment.pk)
        assert (entry.actor, entry.via, entry.municipality_id) == (staff_a, "api", digipunt_a.municipality_id)

    def test_another_municipalitys_appointment_is_a_404_and_no_look(
        self, api, outsider, digipunt_a, citizen, frozen_now
    ):
        appointment = AppointmentFactory(
            digipunt=digipunt_a, citizen=citizen, start=frozen_now + datetime.timedelta(days=1)
        )
        assert api(outsider).get(f"/api/v1/appointments/{appointment.pk}/").status_code == 404
        assert looks("appointment") == []

    def test_one_citizen_through_the_api_is_still_a_look(self, api, staff_a, citizen):
        assert api(staff_a).get(f"/api/v1/citizens/{citizen.pk}/").status_code == 200
        assert len(looks("citizen", citizen.pk)) == 1


class TestAdmin:
    def test_the_change_page_records_a_look(self, web, coordinator_a, citizen):
        response = web(coordinator_a).get(f"/admin/helpdesk/citizen/{citizen.pk}/change/")
        assert response.status_code == 200
        [entry] = looks("citizen", citizen.pk)
        assert (entry.actor, entry.municipality_id) == (coordinator_a, citizen.municipality_id)

    def test_a_search_records_a_look_without_the_number(self, web, coordinator_a, citizen):
        response = web(coordinator_a).get("/admin/helpdesk/citizen/", {"q": "+32470630001"})
        assert response.status_code == 200
        assert "Maria Geheim" in response.content.decode()
        [entry] = looks("citizen")
        assert entry.subject_id is None
        assert "search" in entry.detail
        assert "630001" not in entry.detail
        assert entry.municipality_id == citizen.municipality_id

    def test_another_municipalitys_citizen_in_the_admin_is_no_look(self, web, coordinator_b, citizen):
        response = web(coordinator_b).get(f"/admin/helpdesk/citizen/{citizen.pk}/change/")
        assert response.status_code in (302, 404)
        assert looks("citizen", citizen.pk) == []
