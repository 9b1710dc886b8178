"""Whole conversations through the signed webhook, as a citizen's phone would have them."""

import datetime
import zoneinfo

import pytest

from appointments.models import Appointment, WaitlistEntry
from conversations.models import CallbackRequest, Conversation
from helpdesk.models import Citizen
from sms import outbox
from sms.backends import LocmemBackend
from sms.models import InboundMessage, OutboundMessage

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# (language, booking keyword, topic choice, word to cancel, words the replies must contain)
LANGUAGES = [
    ("nl", "AFSPRAAK", "Geboekt", "ANNULEER", "geannuleerd"),
    ("fr", "RDV", "Réservé", "ANNULER", "annulé"),
    ("en", "BOOK", "Booked", "CANCEL", "cancelled"),
]


def send_reminders_due(time_machine, appointment):
    """Move to the reminder's due time and run the dispatcher as run_jobs would."""
    reminder = OutboundMessage.objects.get(appointment=appointment, kind="reminder")
    time_machine.move_to(reminder.due_at, tick=False)
    outbox.dispatch()
    reminder.refresh_from_db()
    return reminder


@pytest.mark.parametrize(("language", "keyword", "booked", "cancel_word", "cancelled"), LANGUAGES)
def test_book_confirm_remind_and_cancel_in_each_language(
    language, keyword, booked, cancel_word, cancelled, phone_of, helper, time_machine, frozen_now
):
    # Friday evening: the first free time is on Monday, so a reminder goes out on Sunday.
    time_machine.move_to(frozen_now + datetime.timedelta(days=1, hours=8), tick=False)
    phone = phone_of()
    menu = phone(keyword)
    assert "1)" in menu
    assert "2)" in menu
    slots = phone("2")  # taxes is second in the menu
    assert "1)" in slots
    assert "3)" in slots
    confirmation = phone("1")
    assert booked in confirmation
    appointment = Appointment.objects.get()
    assert appointment.channel == "sms"
    assert appointment.language == language
    assert appointment.topic.code == "taxes"
    assert appointment.code in confirmation
    assert "Marktplein 1" in confirmation
    # The confirmation was the webhook's reply; nothing else queued but the reminder.
    kinds = sorted(OutboundMessage.objects.values_list("kind", flat=True))
    assert kinds == ["reminder", "reply", "reply", "reply"]

    reminder = send_reminders_due(time_machine, appointment)
    assert reminder.status == "sent"
    assert LocmemBackend.outbox[-1]["to"] == "+32479123456"
    assert " 9" in LocmemBackend.outbox[-1]["body"]

    # "9" answers the reminder: cancelled at once.
    assert cancelled in phone("9").lower()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"

    # Book again, and cancel by word: the system names the appointment and asks.
    phone(keyword)
    phone("2")
    phone("1")
    second = Appointment.objects.filter(status="booked").get()
    question = phone(cancel_word)
    assert "1" in question
    assert "2" in question
    assert cancelled in phone("1").lower()
    second.refresh_from_db()
    assert second.status == "cancelled"


def test_stop_stops_reminders_and_start_brings_them_back(phone_of, helper, time_machine, frozen_now):
    time_machine.move_to(frozen_now + datetime.timedelta(days=1, hours=8), tick=False)
    phone = phone_of()
    phone("afspraak")
    phone("2")
    phone("1")
    appointment = Appointment.objects.get()
    assert "START" in phone("  Stop ")
    citizen = Citizen.objects.get(phone="+32479123456")
    assert citizen.sms_opt_out
    reminder = OutboundMessage.objects.get(kind="reminder")
    assert reminder.status == "cancelled"
    # While opted out, nothing is answered and nothing is sent.
    assert phone("afspraak") == ""
    time_machine.move_to(reminder.due_at, tick=False)
    outbox.dispatch()
    assert LocmemBackend.outbox == []
    time_machine.move_to(reminder.due_at - datetime.timedelta(hours=2), tick=False)
    assert phone("START") != ""
    reminder.refresh_from_db()
    assert reminder.status == "queued"
    assert appointment.status == "booked"


@pytest.mark.parametrize("body", ["stop please", "stop met die reminders niet", "STOPPEN NU"])
def test_a_sentence_with_stop_is_not_an_opt_out(body, phone_of, helper):
    phone_of()(body)
    assert not Citizen.objects.get().sms_opt_out


@pytest.mark.parametrize("body", ["STOP", "stop", " Stoppen ", "ARRÊT", "arret", "Uitschrijven"])
def test_opt_out_words(body, phone_of):
    phone_of()(body)
    assert Citizen.objects.get().sms_opt_out


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("ik wil hulp met mijn belastingen", "nl"),
        ("Ik wil een afsprak voor mijn belastingsbrief", "nl"),
        ("je veux de l'aide pour mes impôts", "fr"),
        ("I need help with my taxes please", "en"),
    ],
)
def test_a_sentence_naming_the_topic_goes_straight_to_slots(body, language, phone_of, helper):
    reply = phone_of()(body)
    assert "1)" in reply
    assert "3)" in reply
    conversation = Citizen.objects.get().conversation
    assert conversation.state == "slot"
    assert conversation.language == language


@pytest.mark.parametrize(
    "body", ["afsprak", "AFSPRAAAK", "Afspraak!", "afspraak maken", "rendez-vous", "hallo"]
)
def test_typos_and_any_first_message_open_the_topic_menu(body, phone_of, helper):
    reply = phone_of()(body)
    assert "1)" in reply
    assert Citizen.objects.get().conversation.state == "topic"


def test_more_offers_later_times_and_a_taken_slot_offers_new_ones(
    phone_of, helper, municipality_a, digipunt_a
):
    phone = phone_of()
    first = phone("belastingen")
    later = phone("MEER")
    assert first != later
    conversation = Citizen.objects.get().conversation
    offered = conversation.data["slots"]
    # Someone else books the first of these meanwhile (here: at the counter).
    from appointments.booking import book
    from helpdesk.models import Topic
    from tests.factories import CitizenFactory

    start = datetime.datetime.fromisoformat(offered[0][0])
    taxes = Topic.objects.get(code="taxes")
    other = CitizenFactory(municipality=municipality_a)
    # The helper is the only volunteer: one booking takes the slot.
    book(citizen=other, digipunt=digipunt_a, topic=taxes, start=start, language="nl", channel="phone")
    reply = phone("1")
    assert "net" in reply  # "Dat moment is net genomen"
    assert "1)" in reply
    assert Appointment.objects.filter(citizen__phone="+32479123456").count() == 0
    phone("1")
    assert Appointment.objects.filter(citizen__phone="+32479123456").count() == 1


def test_two_replies_that_make_no_sense_offer_a_call(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    assert "1" in phone("banaan")
    offer = phone("🙂🙂")
    assert Citizen.objects.get().conversation.state == "callback"
    assert "1" in offer
    reply = phone("ja")
    callback = CallbackRequest.objects.get()
    assert callback.reason == "not_understood"
    assert callback.phone == "+32479123456"
    assert "bellen" in reply.lower()


@pytest.mark.parametrize(
    ("body", "expected"), [("BEL MIJ", "bellen"), ("APPELEZ-MOI", "appel"), ("call me", "call")]
)
def test_callback_request_says_when_to_expect_the_call(body, expected, phone_of, digipunt_a):
    reply = phone_of()(body)
    assert expected in reply.lower()
    # Thursday 10:00 and the digipunt is open until 17:00 today.
    assert "17:00" in reply
    assert CallbackRequest.objects.get().reason == "asked"
    phone_of()(body)
    assert CallbackRequest.objects.count() == 1  # asking twice is one request


def test_callback_after_hours_names_the_next_opening_day(phone_of, digipunt_a, time_machine, frozen_now):
    time_machine.move_to(frozen_now.replace(hour=18), tick=False)
    reply = phone_of()("bel mij")
    assert "vrijdag" in reply
    assert "9:00" in reply


def test_info_gives_the_phone_number(phone_of, municipality_a):
    municipality_a.phone = "+3250123456"
    municipality_a.save()
    reply = phone_of()("INFO")
    assert "050 12 34 56" in reply


def test_nothing_free_offers_the_waitlist_and_a_freed_slot_is_texted(
    phone_of, municipality_a, digipunt_a, time_machine, helper
):
    from helpdesk.models import Topic

    # Only French spoken here, so a Dutch... no: nobody helps with this local topic.
    rare = Topic.objects.create(code="rare_topic", name_nl="Zeldzaam", name_fr="Rare", name_en="Rare")
    helper.is_generalist = False
    helper.save()
    helper.topics.set(Topic.objects.filter(code="taxes"))
    phone = phone_of()
    reply = phone("afspraak")
    assert "Zeldzaam" not in reply  # the menu shows at most 8 topics; the free text finds it
    reply = phone("zeldzaam")
    assert "wachtlijst" in reply
    assert InboundMessage.objects.filter(event="no_slot").count() == 1
    assert "wachtlijst" in phone("1")
    entry = WaitlistEntry.objects.get()
    assert entry.channel == "sms"
    assert entry.topic == rare


def test_waitlist_offer_by_sms_is_accepted_with_1(phone_of, municipality_a, digipunt_a, helper):
    from appointments import lifecycle, waitlist
    from appointments.booking import book
    from helpdesk.models import Topic
    from tests.factories import CitizenFactory

    taxes = Topic.objects.get(code="taxes")
    phone = phone_of()
    citizen = CitizenFactory(municipality=municipality_a, phone="+32479123456")
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
    offer = OutboundMessage.objects.get(kind="waitlist_offer")
    assert "1" in offer.body
    assert offer.citizen == citizen
    entry = WaitlistEntry.objects.get()
    assert entry.status == "offered"
    # The first time that the freed one makes possible (taxes take 45 minutes).
    assert entry.offered_start < other.end
    assert other.start < entry.offered_start + datetime.timedelta(minutes=45)
    assert Conversation.objects.get(citizen=citizen).state == "offer"
    confirmation = phone("1")
    assert "Geboekt" in confirmation
    appointment = Appointment.objects.get(citizen=citizen)
    assert appointment.start == entry.offered_start
    assert WaitlistEntry.objects.get().status == "booked"


def test_a_digit_with_no_menu_open_gets_a_helpful_answer(phone_of, helper):
    reply = phone_of()("3")
    assert "1)" in reply  # the topic menu: the way to start


def test_cancel_without_appointment(phone_of):
    assert "AFSPRAAK" in phone_of()("annuleer")


def test_ik_kan_niet_komen_cancels_the_next_appointment_after_naming_it(phone_of, helper):
    phone = phone_of()
    phone("afspraak")
    phone("2")
    phone("1")
    question = phone("Sorry, ik kan niet komen")
    assert "annuleren" in question.lower()
    assert "geannuleerd" in phone("ja")
    assert Appointment.objects.get().status == "cancelled"


def test_menus_expire(phone_of, helper, time_machine, frozen_now):
    phone = phone_of()
    phone("afspraak")
    time_machine.move_to(frozen_now + datetime.timedelta(hours=25), tick=False)
    # "2" no longer picks a topic: the menu is gone, so the citizen gets the menu again.
    reply = phone("2")
    assert "1)" in reply
    assert not Appointment.objects.exists()


def test_place_is_asked_first_when_places_lie_in_different_towns(
    phone_of, municipality_a, digipunt_a, helper
):
    from tests.factories import DigipuntFactory

    DigipuntFactory(
        municipality=municipality_a, name="Ontmoetingscentrum", postal_code="9031", city="Drongen"
    )
    reply = phone_of()("belastingen")
    assert "Ontmoetingscentrum" in reply
    slots = phone_of()("1")  # Bibliotheek (alphabetical), where the helper is
    assert "1)" in slots
    assert Citizen.objects.get().conversation.state == "slot"
