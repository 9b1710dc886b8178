"""Staff pages (follow-up, thread, simulator) and the SMS log API: access and scoping."""

import datetime

import pytest

from appointments.models import Appointment
from conversations.models import CallbackRequest
from sms.models import OutboundMessage


@pytest.fixture
def conversation_in_a(phone_of, helper, time_machine, frozen_now):
    phone = phone_of()
    phone("afspraak")
    time_machine.move_to(frozen_now + datetime.timedelta(minutes=1), tick=False)
    phone("bel mij")


class TestFollowUp:
    def test_staff_see_callbacks_and_mark_them_called(self, conversation_in_a, staff_a, web):
        client = web(staff_a)
        page = client.get("/sms/").content.decode()
        assert "+32479123456" in page
        callback = CallbackRequest.objects.get()
        response = client.post(f"/sms/callbacks/{callback.pk}/done/", {"outcome": "booked"})
        assert response.status_code == 302
        callback.refresh_from_db()
        assert callback.status == "done"
        assert callback.handled_by == staff_a
        assert "Niemand om te bellen." in client.get("/sms/").content.decode()

    def test_an_unknown_outcome_changes_nothing(self, conversation_in_a, staff_a, web):
        callback = CallbackRequest.objects.get()
        web(staff_a).post(f"/sms/callbacks/{callback.pk}/done/", {"outcome": "bogus"})
        callback.refresh_from_db()
        assert callback.status == "open"

    def test_undelivered_messages_are_followed_up(self, conversation_in_a, staff_a, web):
        message = OutboundMessage.objects.first()
        OutboundMessage.objects.filter(pk=message.pk).update(status="failed", error_code="30003")
        client = web(staff_a)
        assert "30003" in client.get("/sms/").content.decode()
        client.post(f"/sms/undelivered/{message.pk}/done/")
        message.refresh_from_db()
        assert message.handled_at is not None

    def test_outsider_sees_nothing_of_a(self, conversation_in_a, outsider, web):
        client = web(outsider)
        assert "Niemand om te bellen." in client.get("/sms/").content.decode()
        callback = CallbackRequest.objects.get()
        assert client.post(f"/sms/callbacks/{callback.pk}/done/", {"outcome": "booked"}).status_code == 404
        citizen = callback.citizen
        assert client.get(f"/sms/citizens/{citizen.pk}/").status_code == 404

    def test_volunteers_cannot_open_sms_pages(self, conversation_in_a, volunteer_a, web):
        client = web(volunteer_a)
        for url in ("/sms/", "/sms/simulator/", f"/sms/citizens/{CallbackRequest.objects.get().citizen_id}/"):
            assert client.get(url).status_code == 403

    def test_thread_shows_both_directions(self, conversation_in_a, staff_a, web):
        citizen = CallbackRequest.objects.get().citizen
        page = web(staff_a).get(f"/sms/citizens/{citizen.pk}/").content.decode()
        assert "afspraak" in page
        assert "Waarmee wilt u hulp?" in page


class TestSimulator:
    def test_the_simulator_runs_the_real_conversation(self, staff_a, web, helper, municipality_a):
        client = web(staff_a)
        assert client.get("/sms/simulator/").status_code == 200
        for body in ("afspraak", "2", "1"):
            response = client.post(
                "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "0479 12 34 56", "body": body}
            )
            assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "Geboekt" in page
        appointment = Appointment.objects.get()
        assert appointment.channel == "sms"
        assert str(appointment.citizen.phone) == "+32479123456"

    def test_a_bad_number_is_a_form_error(self, staff_a, web, municipality_a):
        response = web(staff_a).post(
            "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "not a number", "body": "x"}
        )
        assert response.status_code == 200
        assert "form-errors" in response.content.decode()

    def test_another_municipality_cannot_be_chosen(self, staff_a, web, municipality_b):
        response = web(staff_a).post(
            "/sms/simulator/", {"municipality": municipality_b.pk, "phone": "0479123456", "body": "x"}
        )
        assert response.status_code == 200
        assert not Appointment.objects.exists()


class TestApi:
    def test_the_log_of_one_citizen(self, conversation_in_a, api, staff_a):
        response = api(staff_a).get("/api/v1/sms/messages/", {"phone": "0479 12 34 56"})
        assert response.status_code == 200
        rows = response.json()
        assert [row["direction"] for row in rows] == ["in", "out", "in", "out"]
        assert rows[0]["body"] == "afspraak"
        assert rows[0]["status"] == "received"
        assert rows[1]["status"] == "sent"
        assert set(rows[0]) == {"direction", "body", "status", "kind", "created"}

    def test_outsider_gets_an_empty_log(self, conversation_in_a, api, outsider):
        assert api(outsider).get("/api/v1/sms/messages/", {"phone": "+32479123456"}).json() == []

    @pytest.mark.parametrize("query", [{}, {"phone": ""}, {"phone": "garbage"}, {"phone": "+999"}])
    def test_a_missing_or_bad_phone_is_a_400(self, api, staff_a, query):
        response = api(staff_a).get("/api/v1/sms/messages/", query)
        assert response.status_code == 400
        assert "phone" in response.json()

    def test_volunteers_and_anonymous_are_refused(self, api, volunteer_a):
        assert api(volunteer_a).get("/api/v1/sms/messages/", {"phone": "+32479123456"}).status_code == 403
        assert api().get("/api/v1/sms/messages/", {"phone": "+32479123456"}).status_code in (401, 403)
