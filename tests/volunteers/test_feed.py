import datetime

import icalendar
import pytest
import recurring_ical_events
import time_machine
import vobject

from tests.factories import AvailabilityFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_url(digibuddy, digipunt_a):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC), tick=False):
        for weekday in range(5):
            AvailabilityFactory(volunteer=digibuddy, digipunt=digipunt_a, weekday=weekday)
    return f"/volunteers/calendar/{digibuddy.calendar_token()}.ics"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_feed_is_private_icalendar(frozen_now, client, feed_url):
    response = fetch(client, feed_url)
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    text = response.content.decode()
    for line in (
        "METHOD:PUBLISH",
        "X-WR-TIMEZONE:Europe/Brussels",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "TZID:Europe/Brussels",
    ):
        assert line in text


def test_feed_parses_with_vobject(frozen_now, client, feed_url):
    parsed = vobject.readOne(fetch(client, feed_url).content.decode())
    events = parsed.vevent_list
    assert events
    assert parsed.vtimezone.tzid.value == "Europe/Brussels"
    first = events[0]
    assert first.dtstart.value.tzinfo is not None
    assert first.transp.value == "TRANSPARENT"


def test_feed_parses_with_icalendar_and_recurring_ical_events(frozen_now, client, feed_url):
    calendar = icalendar.Calendar.from_ical(fetch(client, feed_url).content)
    events = recurring_ical_events.of(calendar).between(
        datetime.date(2026, 11, 30), datetime.date(2026, 12, 5)
    )
    assert len(events) == 5
    assert all(e["DTSTART"].dt.hour == 9 for e in events)


def test_feed_covers_thirty_days_back_to_the_booking_horizon(frozen_now, client, feed_url):
    calendar = icalendar.Calendar.from_ical(fetch(client, feed_url).content)
    days = sorted(e["DTSTART"].dt.date() for e in calendar.walk("VEVENT"))
    assert days[0] >= datetime.date(2026, 10, 27)
    assert days[0] <= datetime.date(2026, 10, 30)
    assert days[-1] <= datetime.date(2026, 12, 24)  # digipunt horizon: 28 days
    assert days[-1] >= datetime.date(2026, 12, 21)


def test_uids_are_stable_across_fetches(frozen_now, client, feed_url):
    def uids():
        calendar = icalendar.Calendar.from_ical(fetch(client, feed_url).content)
        return [str(e["UID"]) for e in calendar.walk("VEVENT")]

    first = uids()
    assert first == uids()
    assert len(set(first)) == len(first)
    assert all(uid.startswith("shift-") for uid in first)


def test_changed_hours_give_a_new_event_and_uids_stay_unique(frozen_now, client, feed_url, digipunt_a):
    def events():
        calendar = icalendar.Calendar.from_ical(fetch(client, feed_url).content)
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    before = events()
    # The digipunt now closes at 11:00 on Mondays: Monday shifts end at 11:00 under new UIDs.
    digipunt_a.opening_hours.filter(weekday=0, opens=datetime.time(9)).update(closes=datetime.time(11))
    after = events()
    mondays_before = {u for u, e in before.items() if e["DTSTART"].dt.weekday() == 0}
    mondays_after = {u for u, e in after.items() if e["DTSTART"].dt.weekday() == 0}
    assert mondays_before.isdisjoint(mondays_after)
    assert all(after[u]["DTEND"].dt.hour == 11 for u in mondays_after)
    assert all(e["SEQUENCE"] == 0 for e in after.values())


def test_a_block_split_by_a_lunch_break_gives_two_distinct_events(frozen_now, client, digibuddy, digipunt_a):
    AvailabilityFactory(
        volunteer=digibuddy, digipunt=digipunt_a, weekday=5, starts=datetime.time(9), ends=datetime.time(17)
    )
    digipunt_a.opening_hours.create(weekday=5, opens=datetime.time(9), closes=datetime.time(12))
    digipunt_a.opening_hours.create(weekday=5, opens=datetime.time(13), closes=datetime.time(17))
    url = f"/volunteers/calendar/{digibuddy.calendar_token()}.ics"
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(fetch(client, url).content).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert len(uids) >= 8  # four Saturdays, two pieces each


def test_dst_change_keeps_local_times(client, feed_url):
    # Viewed in March 2027: shifts before and after the spring-forward Sunday (28 March, Easter;
    # Monday 29 March is a public holiday, so the Tuesday is the first shift after it).
    with time_machine.travel(datetime.datetime(2027, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        calendar = icalendar.Calendar.from_ical(fetch(client, feed_url).content)
    parsed = vobject.readOne(calendar.to_ical().decode())
    by_day = {e.dtstart.value.date(): e.dtstart.value for e in parsed.vevent_list}
    before, after = by_day[datetime.date(2027, 3, 26)], by_day[datetime.date(2027, 3, 30)]
    assert datetime.date(2027, 3, 29) not in by_day
    assert (before.hour, after.hour) == (9, 9)
    assert before.utcoffset() == datetime.timedelta(hours=1)
    assert after.utcoffset() == datetime.timedelta(hours=2)


def test_unknown_token_is_404(client, feed_url):
    assert client.get("/volunteers/calendar/" + "0" * 64 + ".ics").status_code == 404


def test_rotated_token_is_404_and_the_new_one_works(frozen_now, client, feed_url, digibuddy):
    new_token = digibuddy.rotate_calendar_token()
    assert client.get(feed_url).status_code == 404
    assert client.get(f"/volunteers/calendar/{new_token}.ics").status_code == 200


def test_volunteer_who_left_has_no_feed(client, feed_url, digibuddy):
    Volunteer.objects.filter(pk=digibuddy.pk).update(status=Volunteer.Status.LEFT)
    assert client.get(feed_url).status_code == 404


def test_token_is_stored_only_as_a_hash(digibuddy):
    token = digibuddy.calendar_token()
    digibuddy.refresh_from_db()
    assert len(token) >= 32
    assert token not in (digibuddy.calendar_token_hash, digibuddy.calendar_salt)
    assert digibuddy.calendar_token() == token  # the page can always show the same link


def test_appointments_appear_with_first_name_only_and_cancelled_ones_say_so(
    frozen_now, client, feed_url, digibuddy, digipunt_a
):
    from appointments import lifecycle
    from tests.factories import AppointmentFactory, CitizenFactory

    citizen = CitizenFactory(municipality=digipunt_a.municipality, name="An Peeters", phone="+32470555555")
    start = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
    kept = AppointmentFactory(digipunt=digipunt_a, volunteer=digibuddy, citizen=citizen, start=start)
    dropped = AppointmentFactory(
        digipunt=digipunt_a, volunteer=digibuddy, start=start + datetime.timedelta(hours=4)
    )
    lifecycle.cancel(dropped)
    text = fetch(client, feed_url).content.decode()
    assert "Peeters" not in text
    assert "470555555" not in text
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    mine = events[f"appointment-{kept.pk}@127.0.0.1"]
    assert "An" in str(mine["SUMMARY"])
    assert mine["STATUS"] == "CONFIRMED"
    gone = events[f"appointment-{dropped.pk}@127.0.0.1"]
    assert gone["STATUS"] == "CANCELLED"
    assert gone["SEQUENCE"] == 1


def test_an_appointment_moved_across_the_dst_change_shows_the_right_local_time(client, digibuddy, digipunt_a):
    from tests.factories import AppointmentFactory

    url = f"/volunteers/calendar/{digibuddy.calendar_token()}.ics"
    with time_machine.travel(datetime.datetime(2027, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        before = AppointmentFactory(
            digipunt=digipunt_a,
            volunteer=digibuddy,
            start=datetime.datetime(2027, 3, 26, 9, tzinfo=datetime.UTC),
        )  # 10:00 in Brussels (winter time)
        before.start, before.end = (
            datetime.datetime(2027, 3, 30, 8, tzinfo=datetime.UTC),  # 10:00 in Brussels (summer time)
            datetime.datetime(2027, 3, 30, 8, 45, tzinfo=datetime.UTC),
        )
        before.sequence += 1
        before.save()
        parsed = vobject.readOne(fetch(client, url).content.decode())
    event = next(e for e in parsed.vevent_list if e.uid.value.startswith(f"appointment-{before.pk}"))
    assert event.dtstart.value.hour == 10
    assert event.dtstart.value.utcoffset() == datetime.timedelta(hours=2)
    assert int(event.sequence.value) == 1
