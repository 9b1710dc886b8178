"""Edge cases found in review: each test failed before its fix."""

import datetime
import inspect
import zoneinfo

from django.utils import translation

from appointments.models import Appointment, WaitlistEntry
from conversations import labels
from conversations.models import CallbackRequest, Conversation
from helpdesk.models import Citizen, Topic
from sms import outbox, texts
from sms.backends import LocmemBackend
from sms.conversation import opt_out
from sms.models import OutboundMessage
from tests.factories import CitizenFactory, DigipuntFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def queue(citizen, body, now):
    return outbox.queue(
        municipality_id=citizen.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        body=body,
        kind="other",
        due_at=now,
    )


def test_stop_works_even_over_the_hourly_limit(phone_of, settings):
    settings.SMS_INBOUND_PER_HOUR = 2
    phone = phone_of()
    phone("hallo")
    phone("hallo")
    phone("STOP")
    assert Citizen.objects.get().sms_opt_out


def test_a_digit_python_cannot_read_as_a_number_is_just_text(phone_of, helper):
    phone_of()("\u1369")  # ETHIOPIC DIGIT ONE: isdigit() but not a decimal
    assert not CallbackRequest.objects.exists()


def test_arret_is_answered_in_french(phone_of):
    assert "plus de SMS" in phone_of()("ARRÊT")


def test_a_batch_longer_than_a_claim_sends_nothing_twice(municipality_a, frozen_now, time_machine, settings):
    """Each send is shorter than a claim (the Twilio client times out after 15 s, a claim lasts
    120 s), but the batch as a whole lasts longer: renewing the claim per message keeps another
    worker off the rest of the batch."""
    for citizen in [CitizenFactory(municipality=municipality_a) for _ in range(4)]:
        queue(citizen, f"to {citizen.pk}", frozen_now)
    elapsed = []

    class Slow(LocmemBackend):
        def send(self, **kwargs):
            elapsed.append(settings.SMS_CLAIM_SECONDS * 0.6)
            time_machine.move_to(frozen_now + datetime.timedelta(seconds=sum(elapsed)), tick=False)
            outbox.dispatch(backend=LocmemBackend())  # another worker looks meanwhile
            return super().send(**kwargs)

    outbox.dispatch(backend=Slow())
    bodies = [m["body"] for m in LocmemBackend.outbox]
    assert sum(elapsed) > settings.SMS_CLAIM_SECONDS
    assert sorted(bodies) == sorted(set(bodies))
    assert len(bodies) == 4


def test_an_opt_out_during_a_batch_stops_the_rest(municipality_a, frozen_now):
    a, b = CitizenFactory(municipality=municipality_a), CitizenFactory(municipality=municipality_a)
    queue(a, "for a", frozen_now)
    queue(b, "for b", frozen_now)

    class Backend(LocmemBackend):
        def send(self, **kwargs):
            if not LocmemBackend.outbox:  # b texts STOP while the batch runs
                opt_out(Citizen.objects.get(pk=b.pk), frozen_now, "nl")
            return super().send(**kwargs)

    outbox.dispatch(backend=Backend())
    assert [m["body"] for m in LocmemBackend.outbox] == ["for a"]


def test_no_offer_of_the_time_one_just_cancelled(phone_of, helper):
    from appointments import waitlist

    phone = phone_of()
    phone("afspraak")
    phone("2")
    phone("1")
    citizen = Citizen.objects.get()
    waitlist.add(citizen=citizen, topic=Topic.objects.get(code="health"), language="nl", channel="sms")
    phone("annuleer")
    assert "geannuleerd" in phone("ja")
    assert WaitlistEntry.objects.get().status == "waiting"
    assert Conversation.objects.get().state == "idle"


def test_an_inactive_topic_named_in_text_is_not_offered(phone_of, helper):
    Topic.objects.filter(code="mobility").update(is_active=False)
    phone = phone_of()
    phone("afspraak")
    reply = phone("trein")
    assert "Vervoer" not in reply
    assert Citizen.objects.get().conversation.state == "topic"


def test_the_place_menu_stops_at_eight_because_9_means_cancel(phone_of, municipality_a, digipunt_a, helper):
    for n in range(9):
        DigipuntFactory(
            municipality=municipality_a, name=f"Zaal {n}", postal_code=f"90{n}0", city=f"Dorp {n}"
        )
    menu = phone_of()("belastingen")
    assert "8)" in menu
    assert "9)" not in menu


def test_a_full_twilio_queue_is_retried(municipality_a, frozen_now, settings):
    from twilio.base.exceptions import TwilioRestException

    from sms.backends import TwilioBackend

    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    backend = TwilioBackend()

    def overflow(**kwargs):
        raise TwilioRestException(400, "https://api.twilio.com", "Queue overflow", code=21611)

    backend.client.messages.create = overflow
    message = queue(CitizenFactory(municipality=municipality_a), "x", frozen_now)
    outbox.dispatch(backend=backend)
    message.refresh_from_db()
    assert message.status == "queued"
    assert message.error_code == "21611"


def test_twilio_invalid_number_is_permanent(municipality_a, frozen_now, settings):
    from twilio.base.exceptions import TwilioRestException

    from sms.backends import TwilioBackend

    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    backend = TwilioBackend()

    def invalid(**kwargs):
        raise TwilioRestException(400, "https://api.twilio.com", "Invalid To", code=21211)

    backend.client.messages.create = invalid
    message = queue(CitizenFactory(municipality=municipality_a), "x", frozen_now)
    outbox.dispatch(backend=backend)
    message.refresh_from_db()
    assert message.status == "failed"


def test_the_simulator_never_sends_a_real_sms(web, staff_a, municipality_a, helper, time_machine, frozen_now):
    time_machine.move_to(frozen_now + datetime.timedelta(days=1, hours=8), tick=False)  # Friday evening
    client = web(staff_a)
    for body in ("afspraak", "2", "1"):
        client.post(
            "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "0470 00 00 01", "body": body}
        )
    reminder = OutboundMessage.objects.get(kind="reminder")
    time_machine.move_to(reminder.due_at, tick=False)
    outbox.dispatch()
    reminder.refresh_from_db()
    assert reminder.status == "sent"  # shown as sent in the simulator...
    assert LocmemBackend.outbox == []  # ...but nothing went to a phone


def test_the_simulator_refuses_a_real_citizens_number(web, staff_a, municipality_a):
    CitizenFactory(municipality=municipality_a, phone="+32479555555")
    response = web(staff_a).post(
        "/sms/simulator/", {"municipality": municipality_a.pk, "phone": "0479 55 55 55", "body": "afspraak"}
    )
    assert response.status_code == 200
    assert "echte burger" in response.content.decode()


def test_an_offer_does_not_interrupt_an_open_menu(phone_of, municipality_a, digipunt_a, helper):
    from appointments import lifecycle, waitlist
    from appointments.booking import book

    taxes = Topic.objects.get(code="taxes")
    phone = phone_of()
    phone("afspraak")
    citizen = Citizen.objects.get()
    waitlist.add(citizen=citizen, topic=taxes, language="nl", channel="sms")
    other = book(
        citizen=CitizenFactory(municipality=municipality_a),
        digipunt=digipunt_a,
        topic=taxes,
        start=datetime.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS),
        language="nl",
        channel="phone",
    )
    phone("2")  # a menu of three times
    offered = Conversation.objects.get().data["slots"][0][0]
    lifecycle.cancel(other)
    assert not OutboundMessage.objects.filter(kind="waitlist_offer").exists()  # staff phone instead
    phone("1")
    assert Appointment.objects.get(citizen=citizen).start == datetime.datetime.fromisoformat(offered)


def test_a_declined_offer_goes_to_the_next_in_line(phone_of, municipality_a, digipunt_a, helper):
    from appointments import lifecycle, waitlist
    from appointments.booking import book

    taxes = Topic.objects.get(code="taxes")
    first = CitizenFactory(municipality=municipality_a, phone="+32479123456")
    second = CitizenFactory(municipality=municipality_a, phone="+32479654321")
    for citizen in (first, second):
        waitlist.add(citizen=citizen, topic=taxes, language="nl", channel="sms")
    other = book(
        citizen=CitizenFactory(municipality=municipality_a),
        digipunt=digipunt_a,
        topic=taxes,
        start=datetime.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS),
        language="nl",
        channel="phone",
    )
    lifecycle.cancel(other)
    assert OutboundMessage.objects.get(kind="waitlist_offer").citizen == first
    assert "wachtlijst" in phone_of("+32479123456")("2")
    assert OutboundMessage.objects.filter(kind="waitlist_offer", citizen=second).exists()
    assert WaitlistEntry.objects.get(citizen=second).status == "offered"


def test_every_text_and_label_is_translated():
    values = {
        "topics": ["A", "B"],
        "places": ["X"],
        "topic": "T",
        "slots": [(datetime.datetime(2026, 11, 30, 10, tzinfo=BRUSSELS), "P")],
        "more": True,
        "count": 3,
        "start": datetime.datetime(2026, 11, 30, 10, tzinfo=BRUSSELS),
        "place": "P",
        "address": "Addr",
        "bring": "id",
        "code": "ABC",
        "phone": "050",
        "until": "12:00",
        "opens": "9:00",
        "closes": "12:00",
        "municipality": "M",
    }
    untranslated = []
    for name, function in texts.TEXTS.items():
        arguments = {key: values[key] for key in inspect.signature(function).parameters}
        english = texts.render(name, "en", **arguments)
        untranslated += [
            (name, code) for code in ("nl", "fr") if texts.render(name, code, **arguments) == english
        ]
    for code, label in labels.SHORT_NAMES.items():
        with translation.override("en"):
            english = str(label)
        with translation.override("fr"):
            if str(label) == english and code not in {"eid", "communication", "mobility"}:
                untranslated.append((code, "fr"))
    assert not untranslated
