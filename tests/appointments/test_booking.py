import datetime
import zoneinfo

import pytest

from appointments import lifecycle, waitlist
from appointments.booking import BookingError, SlotTaken, book
from appointments.models import Appointment, AppointmentEvent, WaitlistEntry
from helpdesk.models import Topic
from privacy.models import AuditEvent
from sms.models import OutboundMessage
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = datetime.date(2026, 11, 30)


def at(hour, minute=0, day=MONDAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def book_at(citizen, digipunt, topic, start, **kwargs):
    kwargs.setdefault("language", "nl")
    kwargs.setdefault("channel", "phone")
    return book(citizen=citizen, digipunt=digipunt, topic=topic, start=start, **kwargs)


def test_booking_writes_the_appointment_its_history_and_its_reminder(
    vera, digipunt_a, taxes, citizen_a, django_capture_on_commit_callbacks, sent_mail
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
    assert appointment.volunteer == vera
    assert appointment.end - appointment.start == datetime.timedelta(minutes=45)
    assert len(appointment.code) == 6
    assert AppointmentEvent.objects.get(appointment=appointment).action == "booked"
    reminder = OutboundMessage.objects.get(kind="reminder", appointment=appointment)
    assert reminder.due_at == at(9, day=MONDAY - datetime.timedelta(days=1))
    assert reminder.kind == "reminder"
    assert "Bibliotheek" in reminder.body or "Bibliotheek A" in reminder.body
    # The citizen gets the confirmation by SMS (the caller booked by phone or at the counter).
    confirmation = OutboundMessage.objects.get(kind="confirmation", appointment=appointment)
    assert appointment.code in confirmation.body
    assert confirmation.status == "queued"
    # The volunteer hears of it by e-mail.
    assert len(sent_mail()) == 1


def test_a_second_booking_goes_to_the_least_busy_volunteer(vera, victor, digipunt_a, taxes, municipality_a):
    first = book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
    second = book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(13))
    assert {first.volunteer, second.volunteer} == {vera, victor}


def test_a_follow_up_goes_to_the_same_volunteer(vera, victor, digipunt_a, taxes, citizen_a, municipality_a):
    first = book_at(citizen_a, digipunt_a, taxes, at(9))
    # Someone else books, so the least-busy rule would now pick the other volunteer...
    book_at(
        CitizenFactory(municipality=municipality_a),
        digipunt_a,
        taxes,
        at(10),
    )
    follow_up = book_at(citizen_a, digipunt_a, taxes, at(14))
    assert follow_up.volunteer == first.volunteer


def test_full_slot_is_taken_with_alternatives(vera, digipunt_a, taxes, municipality_a):
    book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
    with pytest.raises(SlotTaken) as taken:
        book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
    assert taken.value.alternatives
    assert taken.value.alternatives[0].start >= at(9)
    assert Appointment.objects.count() == 1


def test_citizen_cannot_be_in_two_places(vera, victor, digipunt_a, taxes, citizen_a):
    book_at(citizen_a, digipunt_a, taxes, at(9))
    with pytest.raises(SlotTaken, match="heeft op dat moment al een afspraak"):
        book_at(citizen_a, digipunt_a, taxes, at(9, 30))


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (at(9, day=datetime.date(2026, 11, 20)), "past"),
        (at(11, day=datetime.date(2026, 11, 26)), "ahead"),  # within the 2-hour lead time
        (at(9, day=datetime.date(2027, 2, 1)), "days ahead"),
        (at(9, 15), "every 30 minutes"),
        (at(7), "opening hours"),
        (at(11, 30), "opening hours"),  # would end after closing
        (at(9, day=datetime.date(2026, 12, 25)), "closed"),
    ],
)
def test_impossible_starts_are_explained(vera, digipunt_a, taxes, citizen_a, start, words):
    from django.utils import translation

    digipunt_a.booking_horizon_days = 60  # Christmas within reach, February not
    digipunt_a.save()
    with translation.override("en"), pytest.raises(BookingError) as error:
        book_at(citizen_a, digipunt_a, taxes, start)
    assert words in error.value.message
    assert error.value.field == "start"


def test_citizen_of_another_municipality_is_refused(vera, digipunt_a, taxes, municipality_b):
    with pytest.raises(BookingError):
        book_at(CitizenFactory(municipality=municipality_b), digipunt_a, taxes, at(9))


def test_no_reminder_for_a_landline_or_an_opted_out_citizen(vera, victor, digipunt_a, taxes, municipality_a):
    landline = CitizenFactory(municipality=municipality_a, phone="+3292101010")
    opted_out = CitizenFactory(municipality=municipality_a, sms_opt_out=True)
    book_at(landline, digipunt_a, taxes, at(9))
    book_at(opted_out, digipunt_a, taxes, at(9))
    assert not OutboundMessage.objects.exists()


class TestLifecycle:
    def test_check_in_then_complete(self, vera, digipunt_a, taxes, citizen_a, staff_a, time_machine):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
        time_machine.move_to(at(8, 45), tick=False)
        lifecycle.change_status(appointment, "checked_in", by=staff_a)
        done = lifecycle.change_status(appointment, "completed", by=staff_a)
        assert done.status == "completed"
        assert done.checked_in_at is not None
        assert done.completed_at is not None
        assert list(done.events.values_list("action", flat=True)) == ["booked", "checked_in", "completed"]
        assert done.events.last().by == staff_a

    @pytest.mark.parametrize(
        ("first", "then"), [("cancelled", "checked_in"), ("no_show", "completed"), (None, "completed")]
    )
    def test_invalid_transitions_are_refused(
        self, vera, digipunt_a, taxes, citizen_a, first, then, time_machine
    ):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
        time_machine.move_to(at(9, 5), tick=False)
        if first:
            lifecycle.change_status(appointment, first)
        with pytest.raises(lifecycle.InvalidTransition):
            lifecycle.change_status(appointment, then)

    def test_cancel_frees_the_slot_cancels_the_reminder_and_tells_the_volunteer(
        self,
        vera,
        digipunt_a,
        taxes,
        citizen_a,
        municipality_a,
        django_capture_on_commit_callbacks,
        sent_mail,
    ):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.cancel(appointment, reason="Ziek")
        assert OutboundMessage.objects.get(kind="reminder", appointment=appointment).status == "cancelled"
        assert "geannuleerd" in sent_mail()[-1].subject
        assert (
            book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9)).volunteer == vera
        )

    def test_reschedule_moves_it_and_keeps_history(self, vera, digipunt_a, taxes, citizen_a):
        old = book_at(citizen_a, digipunt_a, taxes, at(9))
        new = lifecycle.reschedule(old, start=at(14))
        old.refresh_from_db()
        assert old.status == "cancelled"
        assert new.rescheduled_from == old
        assert new.start == at(14)
        assert OutboundMessage.objects.get(kind="reminder", appointment=new).status == "queued"

    def test_failed_reschedule_leaves_the_old_appointment(self, vera, digipunt_a, taxes, citizen_a):
        old = book_at(citizen_a, digipunt_a, taxes, at(9))
        with pytest.raises(BookingError):
            lifecycle.reschedule(old, start=at(7))
        old.refresh_from_db()
        assert old.status == "booked"

    def test_cancellation_offers_the_slot_to_the_first_on_the_waitlist(
        self, vera, digipunt_a, taxes, municipality_a
    ):
        taken = book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
        first = waitlist.add(
            citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="phone"
        )
        waitlist.add(
            citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="sms"
        )
        lifecycle.cancel(taken)
        first.refresh_from_db()
        assert first.status == WaitlistEntry.Status.OFFERED
        assert first.offered_start == at(9)
        assert WaitlistEntry.objects.filter(status="waiting").count() == 1

    def test_waitlist_once_per_citizen_and_topic(self, taxes, citizen_a):
        one = waitlist.add(citizen=citizen_a, topic=taxes, language="nl", channel="phone")
        assert waitlist.add(citizen=citizen_a, topic=taxes, language="nl", channel="sms") == one


class TestTimeRules:
    def test_no_check_in_days_ahead_and_no_no_show_before_the_start(self, vera, digipunt_a, taxes, citizen_a):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
        with pytest.raises(lifecycle.InvalidTransition):
            lifecycle.change_status(appointment, "checked_in")
        with pytest.raises(lifecycle.InvalidTransition):
            lifecycle.change_status(appointment, "no_show")

    def test_no_show_cancels_the_reminder(self, vera, digipunt_a, taxes, citizen_a, time_machine):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
        time_machine.move_to(at(9, 30), tick=False)
        lifecycle.change_status(appointment, "no_show")
        assert OutboundMessage.objects.get(kind="reminder", appointment=appointment).status == "cancelled"


def test_booking_closes_the_citizens_waitlist_entry(vera, digipunt_a, taxes, citizen_a):
    entry = waitlist.add(citizen=citizen_a, topic=taxes, language="nl", channel="phone")
    book_at(citizen_a, digipunt_a, taxes, at(9))
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.BOOKED


def test_offers_of_past_times_go_back_to_waiting(vera, digipunt_a, taxes, municipality_a, time_machine):
    taken = book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
    later = book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(14))
    entry = waitlist.add(
        citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="sms"
    )
    lifecycle.cancel(taken)
    entry.refresh_from_db()
    assert entry.offered_start == at(9)
    time_machine.move_to(at(12), tick=False)  # 09:00 passed without a booking
    lifecycle.cancel(later)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offered_start == at(14)


def test_reschedule_offers_only_what_is_really_free(vera, digipunt_a, taxes, citizen_a, municipality_a):
    digipunt_a.desks = 1
    digipunt_a.save()
    appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
    entry = waitlist.add(
        citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="sms"
    )
    lifecycle.reschedule(appointment, start=at(9, 30))
    entry.refresh_from_db()
    # 09:00-09:45 overlaps the new 09:30 appointment at the only desk: nothing to offer.
    assert entry.status == WaitlistEntry.Status.WAITING


def test_desks_count_the_peak_not_every_overlap(vera, victor, digipunt_a, taxes, municipality_a):
    from tests.factories import bookable_volunteer

    bookable_volunteer(municipality_a, [digipunt_a], topics=["taxes"])
    book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9))
    book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(10))
    # Two desks: 09:30-10:15 meets one appointment at a time (09:00-09:45, then 10:00-10:45).
    assert book_at(CitizenFactory(municipality=municipality_a), digipunt_a, taxes, at(9, 30)).start == at(
        9, 30
    )


def test_far_off_or_malformed_starts_are_refused(vera, digipunt_a, taxes, citizen_a):
    far = datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-1)))
    with pytest.raises(BookingError):
        book_at(citizen_a, digipunt_a, taxes, far)


def test_booking_serves_only_this_citizens_entries_for_this_topic(
    vera, digipunt_a, taxes, citizen_a, municipality_a
):
    banking = Topic.objects.get(code="banking")
    other_topic = waitlist.add(citizen=citizen_a, topic=banking, language="nl", channel="phone")
    someone_else = waitlist.add(
        citizen=CitizenFactory(municipality=municipality_a), topic=taxes, language="nl", channel="phone"
    )
    served = waitlist.add(citizen=citizen_a, topic=taxes, language="nl", channel="phone")
    book_at(citizen_a, digipunt_a, taxes, at(9))
    statuses = dict(WaitlistEntry.objects.values_list("pk", "status"))
    assert statuses == {other_topic.pk: "waiting", someone_else.pk: "waiting", served.pk: "booked"}


def test_booking_records_the_citizens_last_contact_and_its_audit_entry(
    vera, digipunt_a, taxes, citizen_a, staff_a
):
    now = at(9) - datetime.timedelta(days=2)
    appointment = book_at(citizen_a, digipunt_a, taxes, at(9), now=now, by=staff_a)
    citizen_a.refresh_from_db()
    assert citizen_a.last_contact_at == now
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert (event.action, event.at, event.by, event.channel) == ("booked", now, staff_a, "phone")
    entry = AuditEvent.objects.get(subject="appointment", subject_id=appointment.pk)
    assert (entry.action, entry.municipality_id, entry.detail) == (
        "create",
        digipunt_a.municipality_id,
        "status=booked",
    )


def test_the_volunteer_is_greeted_by_name_in_their_language(
    victor, digipunt_a, taxes, citizen_a, django_capture_on_commit_callbacks, sent_mail
):
    victor.user.first_name, victor.languages = "Victor", ["fr", "nl"]
    victor.user.save()
    victor.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_at(citizen_a, digipunt_a, taxes, at(9))
    (message,) = sent_mail()
    assert message.to == [victor.user.email]
    assert message.body.startswith("Bonjour Victor")
    # Read with the booking's other rows, partly: anything else comes when asked for.
    assert str(appointment.volunteer) == str(victor)
    assert appointment.volunteer.user.date_joined == victor.user.date_joined
    assert appointment.volunteer.municipality.name == digipunt_a.municipality.name


def test_a_failed_booking_leaves_no_event_audit_entry_or_contact(vera, digipunt_a, taxes, citizen_a):
    book_at(CitizenFactory(municipality=digipunt_a.municipality), digipunt_a, taxes, at(9))
    with pytest.raises(SlotTaken):
        book_at(citizen_a, digipunt_a, taxes, at(9))
    citizen_a.refresh_from_db()
    assert citizen_a.last_contact_at is None
    assert AppointmentEvent.objects.count() == 1
    assert AuditEvent.objects.filter(subject="appointment").count() == 1
