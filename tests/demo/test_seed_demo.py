import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from helpdesk.models import Digipunt, Membership, Municipality, OpeningHours, Role

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_demodorp_as_the_contract_says(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    demodorp = Municipality.objects.get(name="Demodorp")
    assert str(demodorp.sms_number) == "+32460200000"
    assert demodorp.default_language == "nl"
    digipunten = Digipunt.objects.filter(municipality=demodorp)
    assert set(digipunten.values_list("name", flat=True)) == {"Bibliotheek Demodorp", "Sociaal Huis Demodorp"}
    assert set(digipunten.values_list("desks", flat=True)) == {2}
    for digipunt in digipunten:
        hours = set(digipunt.opening_hours.values_list("weekday", "opens", "closes"))
        assert {(h[0]) for h in hours} == {0, 1, 2, 3, 4}
        assert len(hours) == 10
    for username, role in [("coordinator", Role.COORDINATOR), ("staff", Role.STAFF)]:
        user = authenticate(username=username, password="demo")
        assert user is not None
        assert Membership.objects.get(user=user).role == role
    assert authenticate(username="admin", password="demo").is_superuser


def test_seed_demo_has_sms_conversations_for_staff_to_follow_up(settings):
    from conversations.models import CallbackRequest
    from sms.models import InboundMessage, OutboundMessage

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert InboundMessage.objects.count() == 2
    assert CallbackRequest.objects.get().phone == "+32470000104"
    # Demo bookings tell nobody: no confirmations queued for the demo citizens.
    assert not OutboundMessage.objects.filter(kind="confirmation").exists()


def test_seed_demo_has_a_year_of_seasonal_help_requests(settings):
    from help_requests import stats
    from help_requests.models import HelpRequest

    settings.DEBUG = True
    call_command("seed_demo")
    count = HelpRequest.objects.count()
    assert count > 2000
    call_command("seed_demo")
    assert HelpRequest.objects.count() == count
    demodorp = Municipality.objects.get(name="Demodorp")
    figures = stats.summary([demodorp.pk], stats.Period.last_twelve_months())
    months = {row["month"][5:]: row["count"] for row in figures["by_month"]}
    assert len(months) >= 12
    taxes = {
        month: stats.summary([demodorp.pk], stats.Period(*bounds))["by_topic"]
        for month, bounds in [("05", _month_bounds(5)), ("11", _month_bounds(11))]
    }
    count_in = {
        month: next((r["count"] for r in rows if r["topic"] == "taxes"), 0) for month, rows in taxes.items()
    }
    assert count_in["05"] > 2 * count_in["11"]  # the tax season


def _month_bounds(month):
    import calendar
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    year = today.year if month < today.month else today.year - 1
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        Municipality.objects.count(),
        Digipunt.objects.count(),
        OpeningHours.objects.count(),
        Membership.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Municipality.objects.count(),
        Digipunt.objects.count(),
        OpeningHours.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not Municipality.objects.exists()
    call_command("seed_demo", "--force")
    assert Municipality.objects.filter(name="Demodorp").exists()


def test_demo_volunteers_cover_every_topic_at_both_digipunten(settings, frozen_now):
    import datetime

    from helpdesk.models import Topic
    from volunteers.availability import shifts
    from volunteers.models import Volunteer

    settings.DEBUG = True
    call_command("seed_demo")
    volunteers = Volunteer.objects.filter(user__username__in=["volunteer", "volunteer2"], status="active")
    assert volunteers.count() == 2
    assert {"fr", "en"} <= set(volunteers.get(user__username="volunteer2").languages)
    covered = set(Topic.objects.filter(volunteers__in=volunteers).values_list("code", flat=True))
    assert covered == set(Topic.objects.filter(municipality=None).values_list("code", flat=True))
    assert authenticate(username="volunteer", password="demo") is not None
    # Every weekday of the next four weeks: both digipunten have a volunteer all opening hours.
    today = frozen_now.date()
    found = shifts(list(volunteers.values_list("pk", flat=True)), today, today + datetime.timedelta(days=28))
    for digipunt in Digipunt.objects.filter(municipality__name="Demodorp"):
        hours = sum(s.hours for s in found if s.digipunt == digipunt and s.day == datetime.date(2026, 12, 1))
        assert hours == 7  # 09:00-12:00 and 13:00-17:00


def test_seed_demo_force_never_resets_an_existing_account(settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    get_user_model().objects.create_user("admin", password="the-real-one-1234")
    call_command("seed_demo", "--force")
    assert authenticate(username="admin", password="the-real-one-1234") is not None
    assert authenticate(username="admin", password="demo") is None


def test_demo_has_past_and_coming_appointments_once(settings, frozen_now):
    from appointments.models import Appointment

    settings.DEBUG = True
    call_command("seed_demo")
    appointments = Appointment.objects.filter(digipunt__municipality__name="Demodorp")
    assert appointments.filter(start__lt=frozen_now, status="completed").exists()
    assert appointments.filter(start__lt=frozen_now, status="no_show").exists()
    assert appointments.filter(start__gt=frozen_now, status="booked").count() >= 10
    count = appointments.count()
    call_command("seed_demo")
    assert appointments.count() == count


def test_demo_appointments_were_booked_before_they_start(settings, frozen_now):
    """The dashboard's "median days from booking to visit" read -14 when the history was seeded
    with today's booking date."""
    from appointments.models import Appointment
    from help_requests import stats
    from helpdesk.models import Municipality

    settings.DEBUG = True
    call_command("seed_demo")
    appointments = Appointment.objects.filter(digipunt__municipality__name="Demodorp")
    assert appointments.exists()
    assert not [a for a in appointments if a.created_at > a.start]
    demodorp = Municipality.objects.get(name="Demodorp")
    figures = stats.appointment_figures([demodorp.pk], stats.Period.ending(None, frozen_now.date()))
    assert figures["median_lead_time_hours"] > 0
