"""Booking for a caller at the counter (issue 17): the day and part of the day asked for, the
language, the caller's coming appointments, the dead end and the waitlist page.

The clock: Thursday 26 November 2026, 10:00 in Brussels; "next Thursday" is 3 December."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from appointments import waitlist
from appointments.models import Appointment, WaitlistEntry
from helpdesk.languages import default_citizen_language, written_language
from helpdesk.models import Citizen, Topic
from privacy.models import AuditEvent
from tests.factories import AppointmentFactory, CitizenFactory

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NEXT_THURSDAY = datetime.date(2026, 12, 3)


def slot_url(citizen, **query):
    from urllib.parse import urlencode

    return f"/counter/book/{citizen.pk}/slot/?" + urlencode({"topic": "taxes", "language": "nl", **query})


def local(slot):
    return slot.start.astimezone(BRUSSELS)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


class TestTheDayAskedFor:
    def test_step_2_carries_the_day_and_part_to_step_3(self, web, staff_a, vera, citizen_a):
        taxes = Topic.objects.get(code="taxes")
        response = web(staff_a).get(
            f"/counter/book/{citizen_a.pk}/",
            {"topic": taxes.pk, "language": "nl", "day": "2026-12-03", "part": "afternoon"},
        )
        assert response.status_code == 302
        assert "day=2026-12-03" in response.url
        assert "part=afternoon" in response.url

    def test_step_3_shows_only_that_day_and_part(self, web, staff_a, vera, citizen_a):
        response = web(staff_a).get(slot_url(citizen_a, day="2026-12-03", part="afternoon"))
        slots = response.context["slots"]
        assert slots
        assert {local(s).date() for s in slots} == {NEXT_THURSDAY}
        assert all(local(s).hour >= 12 for s in slots)
        assert response.context["day"] == NEXT_THURSDAY

    def test_the_morning_is_before_noon(self, web, staff_a, vera, citizen_a):
        slots = web(staff_a).get(slot_url(citizen_a, day="2026-12-03", part="morning")).context["slots"]
        assert slots
        assert all(local(s).hour < 12 for s in slots)

    def test_more_times_shows_the_rest_of_the_day(self, web, staff_a, vera, citizen_a):
        client = web(staff_a)
        first = client.get(slot_url(citizen_a, day="2026-12-03"))
        assert len(first.context["slots"]) == 8
        assert first.context["more_url"]
        everything = client.get(slot_url(citizen_a, day="2026-12-03", more="1"))
        # 09:00-12:00 and 13:00-17:00 in 30-minute taxes slots on a 15-minute grid.
        assert len(everything.context["slots"]) > 8
        assert everything.context["more_url"] is None

    def test_the_strip_counts_free_times_per_day_for_two_weeks(self, web, staff_a, vera, citizen_a):
        strip = web(staff_a).get(slot_url(citizen_a, day="2026-12-03")).context["strip"]
        days = [strip_day for strip_day, _url in strip]
        assert len(days) == 14
        assert days[0].day == datetime.date(2026, 11, 30)  # the Monday of that week
        saturday = next(d for d in days if d.day == datetime.date(2026, 12, 5))
        assert saturday.total == 0
        thursday = next(d for d in days if d.day == NEXT_THURSDAY)
        assert thursday.morning > 0
        assert thursday.afternoon > 0

    def test_without_a_day_the_first_free_day_in_that_part(self, web, staff_a, vera, citizen_a):
        response = web(staff_a).get(slot_url(citizen_a, part="afternoon"))
        slots = response.context["slots"]
        assert slots
        assert local(slots[0]).date() == datetime.date(2026, 11, 26)
        assert local(slots[0]).hour >= 13

    def test_a_day_with_nothing_free_points_to_the_next_free_time(self, web, staff_a, vera, citizen_a):
        response = web(staff_a).get(slot_url(citizen_a, day="2026-12-05"))  # a Saturday
        assert response.context["slots"] == []
        assert local(response.context["next_free"]).date() == datetime.date(2026, 12, 7)

    @pytest.mark.parametrize("day", ["2026-13-01", "0001-01-01", "x"])
    def test_a_day_nobody_can_mean_is_refused_with_a_message(self, web, staff_a, vera, citizen_a, day):
        response = web(staff_a).get(slot_url(citizen_a, day=day))
        assert response.status_code == 400
        assert 'class="message message-error"' in response.content.decode()

    def test_the_booked_time_is_the_one_chosen(self, web, staff_a, vera, citizen_a):
        start = at(NEXT_THURSDAY, 14, 30)
        response = web(staff_a).post(
            slot_url(citizen_a, day="2026-12-03", part="afternoon"),
            {"slot": f"{vera.digipunten.first().pk}|{start.isoformat()}"},
        )
        assert response.status_code == 302
        assert Appointment.objects.get(citizen=citizen_a).start == start


class TestLanguage:
    def test_step_2_stores_the_language_on_the_citizen(self, web, staff_a, vera, citizen_a):
        taxes = Topic.objects.get(code="taxes")
        web(staff_a).get(f"/counter/book/{citizen_a.pk}/", {"topic": taxes.pk, "language": "fr"})
        citizen_a.refresh_from_db()
        assert citizen_a.language == "fr"

    def test_a_language_nobody_writes_in_leaves_the_citizens_alone(self, web, staff_a, vera, citizen_a):
        taxes = Topic.objects.get(code="taxes")
        web(staff_a).get(f"/counter/book/{citizen_a.pk}/", {"topic": taxes.pk, "language": "ar"})
        citizen_a.refresh_from_db()
        assert citizen_a.language == "nl"

    def test_a_new_caller_gets_the_municipalitys_language_not_the_screens(
        self, web, staff_a, municipality_a, digipunt_a
    ):
        municipality_a.default_language = "fr"
        municipality_a.save()
        client = web(staff_a)
        client.cookies["django_language"] = "en"
        page = client.get("/counter/book/")
        assert page.context["form"]["language"].value() == "fr"
        assert "Language for SMS and the slip" in page.content.decode()  # the English screen
        client.post("/counter/book/", {"phone": "0470 12 34 56"})
        assert Citizen.objects.get(phone="+32470123456").language == "fr"

    def test_staff_can_choose_another_language_for_a_new_caller(self, web, staff_a, digipunt_a):
        web(staff_a).post("/counter/book/", {"phone": "0470 12 34 56", "language": "en"})
        assert Citizen.objects.get(phone="+32470123456").language == "en"

    def test_the_rules(self, municipality_a):
        municipality_a.default_language = "fr"
        assert default_citizen_language(municipality_a) == "fr"
        assert written_language("en", "nl") == "en"
        assert written_language("ar", "fr") == "fr"

    def test_the_slip_of_a_language_not_written_falls_back_to_the_citizens(
        self, web, staff_a, vera, digipunt_a, municipality_a
    ):
        citizen = CitizenFactory(municipality=municipality_a, language="fr", name="Amal")
        appointment = AppointmentFactory(digipunt=digipunt_a, volunteer=vera, citizen=citizen, language="ar")
        slip = web(staff_a).get(f"/counter/appointments/{appointment.pk}/slip/").content.decode()
        assert "Votre rendez-vous" in slip
        assert "Amal" in slip  # the citizen's name is on the slip


class TestComingAppointments:
    @pytest.fixture
    def coming(self, digipunt_a, vera, citizen_a):
        return AppointmentFactory(
            digipunt=digipunt_a, volunteer=vera, citizen=citizen_a, start=at(datetime.date(2026, 12, 1), 10)
        )

    def test_step_2_lists_them_with_reschedule_and_cancel(self, web, staff_a, coming, citizen_a):
        response = web(staff_a).get(f"/counter/book/{citizen_a.pk}/")
        assert list(response.context["coming"]) == [coming]
        page = response.content.decode()
        assert f"?move={coming.pk}" in page
        assert f"/appointments/{coming.pk}/cancel/" in page

    def test_cancel_from_step_2(self, web, staff_a, coming, citizen_a):
        response = web(staff_a).post(f"/counter/book/{citizen_a.pk}/appointments/{coming.pk}/cancel/")
        assert response.status_code == 302
        coming.refresh_from_db()
        assert coming.status == "cancelled"

    def test_reschedule_books_the_new_time_and_gives_up_the_old(self, web, staff_a, coming, citizen_a):
        new_start = at(NEXT_THURSDAY, 15)
        response = web(staff_a).post(
            slot_url(citizen_a, move=coming.pk), {"slot": f"{coming.digipunt_id}|{new_start.isoformat()}"}
        )
        assert response.status_code == 302
        coming.refresh_from_db()
        assert coming.status == "cancelled"
        assert coming.rescheduled_to.start == new_start

    def test_reschedule_to_a_taken_time_keeps_the_old_one(self, web, staff_a, coming, citizen_a, vera):
        taken = at(NEXT_THURSDAY, 15)
        AppointmentFactory(digipunt=coming.digipunt, volunteer=vera, start=taken)  # vera's only
        response = web(staff_a).post(
            slot_url(citizen_a, move=coming.pk), {"slot": f"{coming.digipunt_id}|{taken.isoformat()}"}
        )
        assert response.status_code == 409
        coming.refresh_from_db()
        assert coming.status == "booked"  # both or neither
        assert Appointment.objects.filter(citizen=citizen_a).count() == 1

    def test_a_second_booking_for_the_same_topic_needs_a_yes(self, web, staff_a, coming, citizen_a):
        client = web(staff_a)
        start = at(NEXT_THURSDAY, 15)
        choice = {"slot": f"{coming.digipunt_id}|{start.isoformat()}"}
        refused = client.post(slot_url(citizen_a), choice)
        assert refused.status_code == 400
        assert 'id="same-topic"' in refused.content.decode()
        assert Appointment.objects.filter(citizen=citizen_a).count() == 1
        assert client.post(slot_url(citizen_a), {**choice, "same_topic_ok": "1"}).status_code == 302
        assert Appointment.objects.filter(citizen=citizen_a, status="booked").count() == 2

    def test_another_topic_needs_no_yes(self, web, staff_a, coming, citizen_a, vera):
        start = at(NEXT_THURSDAY, 15)
        response = web(staff_a).post(
            slot_url(citizen_a, topic="banking"), {"slot": f"{coming.digipunt_id}|{start.isoformat()}"}
        )
        assert response.status_code == 302

    def test_another_municipalitys_appointments_answer_404(self, web, outsider, coming, citizen_a):
        client = web(outsider)
        assert client.get(slot_url(citizen_a, move=coming.pk)).status_code == 404
        assert (
            client.post(f"/counter/book/{citizen_a.pk}/appointments/{coming.pk}/cancel/").status_code == 404
        )
        coming.refresh_from_db()
        assert coming.status == "booked"


class TestDeadEndAndWaitlist:
    def test_nothing_free_offers_the_ways_out(self, web, staff_a, vera, citizen_a):
        response = web(staff_a).get(slot_url(citizen_a, language="fr"))  # vera speaks only Dutch
        assert response.context["dead_end"]
        assert [code for code, _name, _url in response.context["other_languages"]] == ["nl"]
        page = response.content.decode()
        assert response.context["back_url"] in page.replace("&amp;", "&")
        assert 'name="waitlist"' in page

    def test_the_waitlist_stores_the_wish(self, web, staff_a, vera, citizen_a, digipunt_a):
        response = web(staff_a).post(
            slot_url(citizen_a, language="fr"), {"waitlist": "1", "weekdays": ["3", "1"], "part": "afternoon"}
        )
        assert response.status_code == 302
        assert response.url == f"/counter/waitlist/{digipunt_a.pk}/"
        entry = WaitlistEntry.objects.get(citizen=citizen_a)
        assert (entry.language, entry.preferred_weekdays, entry.preferred_part) == ("fr", [1, 3], "afternoon")

    def test_a_wish_that_is_not_a_choice_is_refused(self, web, staff_a, vera, citizen_a):
        response = web(staff_a).post(slot_url(citizen_a, language="fr"), {"waitlist": "1", "weekdays": "9"})
        assert response.status_code == 400
        assert not WaitlistEntry.objects.exists()

    def test_a_freed_time_goes_only_to_a_wish_it_suits(self, vera, digipunt_a, municipality_a, taxes):
        monday_only = waitlist.add(
            citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl",
            channel="phone", weekdays=[0],
        )  # fmt: skip
        mornings = waitlist.add(
            citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl",
            channel="phone", part="morning",
        )  # fmt: skip
        start = at(NEXT_THURSDAY, 10)
        offered = waitlist.offer_time(
            digipunt_a, start, start + datetime.timedelta(minutes=30), now=timezone.now()
        )
        assert offered == mornings
        monday_only.refresh_from_db()
        assert monday_only.status == "waiting"

    def test_an_entry_without_a_wish_takes_any_time(self, municipality_a, taxes):
        entry = waitlist.add(
            citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="sms"
        )
        assert entry.suits(at(NEXT_THURSDAY, 16))


class TestWaitlistPage:
    @pytest.fixture
    def entry(self, citizen_a, taxes, digipunt_a):
        return waitlist.add(
            citizen=citizen_a, topic=taxes, language="fr", channel="phone", weekdays=[3], part="afternoon"
        )

    def test_lists_who_waits_with_their_wish(self, web, staff_a, entry, digipunt_a):
        response = web(staff_a).get(f"/counter/waitlist/{digipunt_a.pk}/")
        assert list(response.context["entries"]) == [entry]
        page = response.content.decode()
        assert "An Peeters" in page
        assert "donderdag" in page.lower()
        assert AuditEvent.objects.filter(
            action="view", subject="citizen", municipality=digipunt_a.municipality
        ).exists()

    def test_is_linked_from_the_counter(self, web, staff_a, digipunt_a):
        assert f"/counter/waitlist/{digipunt_a.pk}/" in web(staff_a).get("/counter/").content.decode()

    def test_another_municipalitys_waitlist_answers_404(self, web, outsider, entry, digipunt_a):
        assert web(outsider).get(f"/counter/waitlist/{digipunt_a.pk}/").status_code == 404
        assert not AuditEvent.objects.filter(action="view").exists()

    def test_shows_only_its_own_municipality(self, web, outsider, entry, digipunt_b):
        response = web(outsider).get(f"/counter/waitlist/{digipunt_b.pk}/")
        assert response.status_code == 200
        assert list(response.context["entries"]) == []
