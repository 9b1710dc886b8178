"""Logging help: validation, the form from an appointment or a walk-in, who may log, referrals."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from appointments.models import Appointment
from help_requests import services as help_requests
from help_requests.models import HelpRequest, HelpRequestTopic
from helpdesk.models import Topic
from tests.factories import AppointmentFactory, bookable_volunteer

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def log(digipunt, topics, **overrides):
    values = {"channel": "counter", "duration_minutes": 30, "outcome": "solved", **overrides}
    return help_requests.log(digipunt=digipunt, topics=topics, **values)


class TestService:
    def test_logs_with_local_date_hour_and_topic_rows(self, digipunt_a, taxes):
        banking = Topic.objects.get(code="banking")
        request = log(digipunt_a, [taxes, banking, taxes])
        assert request.date == datetime.date(2026, 11, 26)
        assert request.hour == 10
        assert request.municipality == digipunt_a.municipality
        assert set(HelpRequestTopic.objects.values_list("topic__code", flat=True)) == {"taxes", "banking"}

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"duration_minutes": 0}, "duration_minutes"),
            ({"duration_minutes": -5}, "duration_minutes"),
            ({"duration_minutes": 481}, "duration_minutes"),
            ({"channel": "pigeon"}, "channel"),
            ({"outcome": "great"}, "outcome"),
            ({"date": datetime.date(2026, 11, 27)}, "date"),
            ({"outcome": "referred"}, "referred_to"),
            ({"referred_to": "caw"}, "referred_to"),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, digipunt_a, taxes, overrides, field):
        with pytest.raises(ValidationError) as refused:
            log(digipunt_a, [taxes], **overrides)
        assert field in refused.value.message_dict
        assert not HelpRequest.objects.exists()

    def test_no_topics_or_another_municipalitys_local_topic(self, digipunt_a, municipality_b):
        with pytest.raises(ValidationError):
            log(digipunt_a, [])
        local = Topic.objects.create(
            code="local_b", name_nl="B", name_fr="B", name_en="B", municipality=municipality_b
        )
        with pytest.raises(ValidationError) as refused:
            log(digipunt_a, [local])
        assert "topics" in refused.value.message_dict

    def test_a_referral_gets_a_check_date(self, digipunt_a, taxes):
        request = log(digipunt_a, [taxes], outcome="referred", referred_to="ocmw")
        assert request.follow_up_on == datetime.date(2026, 12, 10)
        assert list(help_requests.open_referrals(HelpRequest.objects.all())) == [request]
        help_requests.confirm_referral(request)
        assert not help_requests.open_referrals(HelpRequest.objects.all()).exists()

    def test_one_help_request_per_appointment(self, digipunt_a, taxes, municipality_a):
        appointment = AppointmentFactory(
            digipunt=digipunt_a, topic=taxes, citizen__municipality=municipality_a
        )
        log(digipunt_a, [taxes], appointment=appointment)
        with pytest.raises(ValidationError):
            log(digipunt_a, [taxes], appointment=appointment)
        assert HelpRequest.objects.count() == 1


@pytest.fixture
def todays_appointment(municipality_a, digipunt_a, taxes, frozen_now):
    volunteer = bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes"], username="vera")
    start = frozen_now.replace(hour=10, minute=0)
    return AppointmentFactory(
        digipunt=digipunt_a,
        topic=taxes,
        volunteer=volunteer,
        citizen__municipality=municipality_a,
        start=start,
        end=start + datetime.timedelta(minutes=45),
        channel="sms",
    )


class TestForm:
    def post(self, client, appointment, **data):
        values = {
            "topics": [appointment.topic.pk],
            "outcome": "solved",
            "duration_minutes": 40,
            "first_visit": "true",
        }
        values.update(data)
        return client.post(f"/help/log/?appointment={appointment.pk}&next=/volunteers/schedule/", values)

    def test_the_volunteer_logs_and_completes_their_appointment(self, todays_appointment, web):
        client = web(todays_appointment.volunteer.user)
        page = client.get(f"/help/log/?appointment={todays_appointment.pk}")
        assert page.status_code == 200
        assert "Belastingen" in page.content.decode()
        response = self.post(client, todays_appointment, self_reliant="on")
        assert response.status_code == 302
        assert response["Location"] == "/volunteers/schedule/"
        todays_appointment.refresh_from_db()
        assert todays_appointment.status == "completed"
        request = HelpRequest.objects.get()
        assert request.channel == "sms"  # from the appointment, not the form
        assert request.self_reliant
        assert request.first_visit is True
        assert request.helped_by == todays_appointment.volunteer.user
        assert request.appointment == todays_appointment

    def test_staff_log_from_the_counter(self, todays_appointment, staff_a, web):
        assert self.post(web(staff_a), todays_appointment).status_code == 302
        assert HelpRequest.objects.get().helped_by == staff_a

    def test_another_volunteer_and_an_outsider_may_not(self, todays_appointment, volunteer_a, outsider, web):
        assert web(outsider).get(f"/help/log/?appointment={todays_appointment.pk}").status_code == 403
        assert self.post(web(outsider), todays_appointment).status_code == 403
        assert not HelpRequest.objects.exists()

    def test_a_form_error_keeps_the_appointment_open(self, todays_appointment, web):
        response = self.post(web(todays_appointment.volunteer.user), todays_appointment, duration_minutes=999)
        assert response.status_code == 200
        todays_appointment.refresh_from_db()
        assert todays_appointment.status == "booked"
        assert not HelpRequest.objects.exists()

    def test_logging_twice_is_refused_politely(self, todays_appointment, web):
        client = web(todays_appointment.volunteer.user)
        self.post(client, todays_appointment)
        response = client.get(f"/help/log/?appointment={todays_appointment.pk}")
        assert response.status_code == 302
        assert HelpRequest.objects.count() == 1

    def test_quick_form_for_a_phone_call(self, staff_a, digipunt_a, taxes, web):
        response = web(staff_a).post(
            "/help/log/",
            {
                "digipunt": digipunt_a.pk,
                "topics": [taxes.pk],
                "channel": "phone",
                "date": "2026-11-26",
                "duration_minutes": 15,
                "outcome": "referred",
                "referred_to": "tax_office",
                "first_visit": "unknown",
            },
        )
        assert response.status_code == 302
        request = HelpRequest.objects.get()
        assert request.channel == "phone"
        assert request.first_visit is None
        assert request.referred_to == "tax_office"

    @pytest.mark.parametrize(("sent", "stored"), [("true", True), ("false", False), ("unknown", None)])
    def test_first_visit_is_one_of_three_answers(self, staff_a, digipunt_a, taxes, web, sent, stored):
        data = {
            "digipunt": digipunt_a.pk,
            "topics": [taxes.pk],
            "channel": "phone",
            "date": "2026-11-26",
            "duration_minutes": 15,
            "outcome": "solved",
            "first_visit": sent,
        }
        assert web(staff_a).post("/help/log/", data).status_code == 302
        assert HelpRequest.objects.get().first_visit is stored

    def test_first_visit_refuses_anything_else(self, staff_a, digipunt_a, taxes, web):
        """Found by the hostile-input walk (tests/test_hostile_forms.py): any other value (10,000
        characters) used to be
        taken silently as "not asked" and the help request written."""
        data = {
            "digipunt": digipunt_a.pk,
            "topics": [taxes.pk],
            "channel": "phone",
            "date": "2026-11-26",
            "duration_minutes": 15,
            "outcome": "solved",
            "first_visit": "x" * 10_000,
        }
        response = web(staff_a).post("/help/log/", data)
        assert response.status_code == 200
        assert "first_visit" in response.context["form"].errors
        assert not HelpRequest.objects.exists()

    def test_referrals_page(self, staff_a, outsider, digipunt_a, taxes, web):
        request = log(digipunt_a, [taxes], outcome="referred", referred_to="caw")
        assert "CAW" in web(staff_a).get("/help/referrals/").content.decode()
        assert "CAW" not in web(outsider).get("/help/referrals/").content.decode()
        assert web(outsider).post(f"/help/referrals/{request.pk}/picked-up/").status_code == 404
        web(staff_a).post(f"/help/referrals/{request.pk}/picked-up/")
        request.refresh_from_db()
        assert request.referral_confirmed_at is not None


def test_counter_links_to_logging_without_extra_queries(
    todays_appointment, staff_a, web, django_assert_max_num_queries
):
    Appointment.objects.filter(pk=todays_appointment.pk).update(status="completed")
    client = web(staff_a)
    client.get("/counter/")  # warm up
    with django_assert_max_num_queries(30):
        page = client.get("/counter/").content.decode()
    assert f"/help/log/?appointment={todays_appointment.pk}" in page


@pytest.mark.parametrize(
    ("utc", "date", "hour", "month", "week"),
    [
        # The night clocks go back: 00:30 UTC is 02:30 summer time, still 25 October.
        (
            datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
            datetime.date(2026, 10, 25),
            2,
            "2026-10",
            202643,
        ),
        # An hour later it is 02:30 again, winter time.
        (
            datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
            datetime.date(2026, 10, 25),
            2,
            "2026-10",
            202643,
        ),
        # 23:30 UTC on 31 October is already November in Brussels (and a new ISO week).
        (
            datetime.datetime(2026, 10, 31, 23, 30, tzinfo=datetime.UTC),
            datetime.date(2026, 11, 1),
            0,
            "2026-11",
            202644,
        ),
        # Spring forward: 01:30 UTC on 29 March is 03:30 summer time.
        (
            datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),
            datetime.date(2026, 3, 29),
            3,
            "2026-03",
            202613,
        ),
    ],
)
def test_buckets_are_local_across_dst_and_month_ends(
    digipunt_a, taxes, time_machine, utc, date, hour, month, week
):
    time_machine.move_to(utc, tick=False)
    request = log(digipunt_a, [taxes])
    assert (request.date, request.hour) == (date, hour)
    assert request.month.strftime("%Y-%m") == month
    assert request.iso_week == week
    assert request.topic_links.get().month == request.month
