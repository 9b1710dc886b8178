"""The booking and slot hot paths: how many statements they cost, and that the cached week
(appointments/schedule_snapshot.py) never outlives a change (issue #14, item 2)."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import booking, schedule_snapshot
from appointments.booking import SlotTaken, book
from appointments.slots import free_slots
from helpdesk import schedule_version
from tests.factories import (
    AppointmentFactory,
    CitizenFactory,
    ClosureFactory,
    DigipuntFactory,
    bookable_volunteer,
)
from volunteers.blocks import remove_block
from volunteers.models import Absence, Availability

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = datetime.date(2026, 11, 30)
# The goal of issue #14 was 12. PostgreSQL: SET LOCAL lock_timeout, three lock statements, the
# appointments under the locks, the INSERT with the volunteer to tell, then one statement for the
# rest (appointments/booking_writes.py): its event, audit entry, contact, waitlist, the SMS outbox
# rows and the volunteer's e-mail (helpdesk/mail.py, sent by a job rather than inside the
# request). SQLite runs each of those writes, and the volunteer's read, one by one.
BOOK_STATEMENTS = 7 if connection.vendor == "postgresql" else 13
SNAPSHOT_STATEMENTS = 7  # what building one municipality's week costs


def at(hour, minute=0, day=MONDAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def book_at(citizen, digipunt, topic, start, **kwargs):
    return book(
        citizen=citizen, digipunt=digipunt, topic=topic, start=start, language="nl", channel="phone", **kwargs
    )


def slots(topic, digipunt, first=MONDAY, last=MONDAY, **kwargs):
    return free_slots(
        topic=topic,
        language="nl",
        start_date=first,
        end_date=last,
        now=datetime.datetime(2026, 11, 26, 10, tzinfo=BRUSSELS),
        digipunten=[digipunt],
        **kwargs,
    )


def statements(captured) -> list[str]:
    """The SQL the application sent, without transaction control: PostgreSQL's BEGIN and COMMIT
    are not logged by Django, SQLite's BEGIN IMMEDIATE and COMMIT are; counted alike on both."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(control)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_book_costs_at_most_its_statement_goal(vera, victor, digipunt_a, taxes, municipality_a):
    """Outside any test transaction, as in production, with the municipality's week cached."""
    book_at(CitizenFactory(municipality=municipality_a, phone="+32470000098"), digipunt_a, taxes, at(9))
    citizen = CitizenFactory(municipality=municipality_a, phone="+32470000099")
    with CaptureQueriesContext(connection) as captured:
        appointment = book_at(citizen, digipunt_a, taxes, at(10))
    sent = statements(captured)
    assert len(sent) <= BOOK_STATEMENTS, "\n".join(sent)
    assert not [q for q in captured.captured_queries if "SAVEPOINT" in q["sql"]]
    # Its confirmation and reminder were written in that last statement.
    assert set(appointment.outbound_messages.values_list("kind", flat=True)) == {"confirmation", "reminder"}


@pytest.mark.django_db
def test_a_cold_cache_costs_one_snapshot_more(
    vera, digipunt_a, taxes, citizen_a, django_assert_max_num_queries
):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        book_at(citizen_a, digipunt_a, taxes, at(9))
    assert len(statements(captured)) <= BOOK_STATEMENTS + SNAPSHOT_STATEMENTS


def test_a_booking_reads_the_schedule_version_once(vera, digipunt_a, taxes, citizen_a, monkeypatch):
    """Its start's week, whom to lock and the search use one snapshot (schedule_snapshot.pinned):
    one cache read of the version, not three."""
    book_at(CitizenFactory(municipality=digipunt_a.municipality), digipunt_a, taxes, at(9))  # cached
    reads = []
    current = schedule_version.current
    monkeypatch.setattr(schedule_version, "current", lambda: reads.append(1) or current())
    book_at(citizen_a, digipunt_a, taxes, at(10))
    assert len(reads) == 1


def test_a_digipunt_newer_than_the_pinned_week_is_still_bookable(vera, digipunt_a, taxes, citizen_a):
    book_at(CitizenFactory(municipality=digipunt_a.municipality), digipunt_a, taxes, at(9))  # cached
    with schedule_snapshot.pinned():  # as in a booking: the week read before the new digipunt
        schedule_snapshot.for_municipality(digipunt_a.municipality_id)
        newer = DigipuntFactory(municipality=digipunt_a.municipality)
        bookable_volunteer(digipunt_a.municipality, [newer], topics=["taxes"], username="nina")
        assert book_at(citizen_a, newer, taxes, at(9)).digipunt == newer


@pytest.mark.django_db
def test_a_booking_code_in_use_is_replaced(vera, digipunt_a, taxes, citizen_a, municipality_a, monkeypatch):
    first = book_at(citizen_a, digipunt_a, taxes, at(9))
    codes = iter([first.code, "ZZZZZ9"])
    monkeypatch.setattr(booking, "new_booking_code", lambda: next(codes))
    second = book_at(
        CitizenFactory(municipality=municipality_a, phone="+32470000098"), digipunt_a, taxes, at(13)
    )
    assert second.code == "ZZZZZ9"
    assert second.events.count() == 1  # the first attempt left nothing behind


@pytest.mark.django_db
def test_a_booking_code_that_keeps_clashing_is_a_lost_race_not_a_500(
    vera, digipunt_a, taxes, citizen_a, municipality_a, monkeypatch
):
    first = book_at(citizen_a, digipunt_a, taxes, at(9))
    monkeypatch.setattr(booking, "new_booking_code", lambda: first.code)
    with pytest.raises(SlotTaken):
        book_at(CitizenFactory(municipality=municipality_a, phone="+32470000098"), digipunt_a, taxes, at(13))


@pytest.mark.django_db
def test_once_the_week_is_cached_a_search_reads_only_the_appointments(
    vera, digipunt_a, taxes, django_assert_num_queries
):
    slots(taxes, digipunt_a)
    with django_assert_num_queries(1):
        one_day = slots(taxes, digipunt_a)
    with django_assert_num_queries(1):
        four_weeks = slots(taxes, digipunt_a, last=MONDAY + datetime.timedelta(days=27))
    assert one_day
    assert len(four_weeks) > 10 * len(one_day)


@pytest.mark.django_db
def test_appointments_are_never_cached(vera, digipunt_a, taxes, citizen_a, municipality_a):
    assert at(9) in [s.start for s in slots(taxes, digipunt_a)]
    AppointmentFactory(digipunt=digipunt_a, topic=taxes, volunteer=vera, start=at(9), end=at(9, 45))
    assert at(9) not in [s.start for s in slots(taxes, digipunt_a)]
    with pytest.raises(SlotTaken):
        book_at(citizen_a, digipunt_a, taxes, at(9))


@pytest.mark.django_db
def test_a_closure_added_after_the_week_was_cached_counts(vera, digipunt_a, taxes, municipality_a):
    assert slots(taxes, digipunt_a)
    ClosureFactory(municipality=municipality_a, digipunt=digipunt_a, start_date=MONDAY, end_date=MONDAY)
    assert slots(taxes, digipunt_a) == []


@pytest.mark.django_db
def test_an_absence_and_a_deactivated_volunteer_count_at_once(vera, digipunt_a, taxes):
    assert slots(taxes, digipunt_a)
    absence = Absence.objects.create(volunteer=vera, start_date=MONDAY, end_date=MONDAY)
    assert slots(taxes, digipunt_a) == []
    absence.delete()
    assert slots(taxes, digipunt_a)
    vera.status = vera.Status.PAUSED
    vera.save()
    assert slots(taxes, digipunt_a) == []


@pytest.mark.django_db
def test_a_topic_or_digipunt_taken_from_a_volunteer_counts_at_once(vera, digipunt_a, taxes):
    assert slots(taxes, digipunt_a)
    vera.topics.clear()
    assert slots(taxes, digipunt_a) == []
    vera.topics.add(taxes)
    assert slots(taxes, digipunt_a)
    vera.digipunten.remove(digipunt_a)
    assert slots(taxes, digipunt_a) == []


@pytest.mark.django_db
def test_changed_opening_hours_and_blocks_count_at_once(vera, digipunt_a, taxes, frozen_now):
    assert at(9) in [s.start for s in slots(taxes, digipunt_a)]
    monday = digipunt_a.opening_hours.get(weekday=0, opens=datetime.time(9))
    monday.opens = datetime.time(10)
    monday.save()
    assert at(9) not in [s.start for s in slots(taxes, digipunt_a)]
    # Ending a block goes through QuerySet.update (no signal) and still counts.
    block = Availability.objects.get(volunteer=vera, weekday=0, starts=datetime.time(13))
    remove_block(block, today=frozen_now.date())
    assert not [s for s in slots(taxes, digipunt_a) if s.start >= at(13)]


@pytest.mark.django_db
def test_the_version_changes_again_when_the_change_commits(django_capture_on_commit_callbacks):
    before = schedule_version.current()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_version.bump()
        during = schedule_version.current()
    assert len({before, during, schedule_version.current()}) == 3


@pytest.mark.django_db
def test_a_cache_that_lost_the_version_starts_a_new_one():
    before = schedule_version.current()
    cache.clear()
    assert schedule_version.current() != before


@pytest.mark.django_db
def test_the_slot_listing_writes_what_slot_serializer_would(
    api, staff_a, vera, digipunt_a, taxes, frozen_now
):
    from appointments.api.serializers import SlotSerializer

    response = api(staff_a).get(
        "/api/v1/slots/",
        {"digipunt": digipunt_a.pk, "topic": "taxes", "from": "2026-11-30", "to": "2026-11-30"},
    )
    assert response.status_code == 200
    expected = SlotSerializer(slots(taxes, digipunt_a), many=True).data
    assert response.json() == [dict(row) for row in expected]
    assert response.json()[0]["start"] == "2026-11-30T09:00:00+01:00"


@pytest.mark.django_db
def test_a_cache_of_one_process_is_not_trusted_with_the_week_under_several_workers(
    vera, digipunt_a, taxes, settings
):
    # Local memory under several gunicorn workers: a bump in one is unseen in the others, so the
    # week is read afresh each time (here: a change that bumps nothing is seen at once).
    settings.CACHE_IN_ONE_PROCESS = False
    assert slots(taxes, digipunt_a)
    type(vera).objects.filter(pk=vera.pk).update(status=vera.Status.PAUSED)  # sends no signal
    assert slots(taxes, digipunt_a) == []
