"""Booking in the dialogue: the topic menu (most asked first, MORE for the next page; "Other"
asks for a few words), the place menu (only when the places lie in different towns), three
times that differ, then the booking itself through appointments.booking.book.

The options offered are kept in the conversation (topic ids, place ids, [start, digipunt id]
pairs), so that "2" means exactly what the citizen read or heard.
"""

from django.db import transaction

from appointments import booking, lifecycle
from appointments.models import Appointment
from conversations import offers
from conversations.heard import chosen_by_wish, fits_wish
from conversations.labels import short_topic_name
from conversations.menus import MAX_PLACES, OTHER, active_topic, place_matters, places, topic_pages
from conversations.reply import Event, Option, Reply
from conversations.state import State, municipality_phone, not_understood, say, set_state
from conversations.understanding import MORE
from helpdesk.models import Digipunt, Topic


def _topic(citizen, code):
    return active_topic(citizen.municipality_id, code)


def start_booking(conversation, citizen, topic_code, now, *, page=0) -> Reply:
    topic = _topic(citizen, topic_code)
    if topic is not None and topic.code != OTHER:
        return after_topic(conversation, citizen, topic, now)
    if topic is not None:
        return ask_description(conversation, now)
    return topic_menu(conversation, citizen, now, page=page)


def topic_menu(conversation, citizen, now, *, page=0) -> Reply:
    pages = topic_pages(citizen.municipality_id, now)
    page = page % len(pages)  # MORE on the last page starts again at the first
    shown = pages[page]
    set_state(conversation, State.TOPIC, now, {"topics": [t.pk for t in shown], "page": page})
    options = tuple(
        Option(number, label=short_topic_name(t, conversation.language)) for number, t in enumerate(shown, 1)
    )
    return Reply("topic_menu", conversation.language, options=options, more=len(pages) > 1)


def choose_topic(conversation, citizen, message, now) -> Reply:
    options = conversation.data.get("topics", [])
    if message.intent == MORE:
        return topic_menu(conversation, citizen, now, page=conversation.data.get("page", 0) + 1)
    topic = None
    if message.number is not None and 1 <= message.number <= len(options):
        topic = Topic.objects.filter(pk=options[message.number - 1]).first()
    else:
        topic = _topic(citizen, message.topic_code)
    if topic is None:
        return not_understood(conversation, len(options))
    if topic.code == OTHER:
        return ask_description(conversation, now)
    return after_topic(conversation, citizen, topic, now)


def ask_description(conversation, now) -> Reply:
    set_state(conversation, State.DESCRIBE, now)
    return say(conversation, "describe_need")


def describe(conversation, citizen, message, now) -> Reply:
    """The few words after "Other": a topic they name, else help with "Other" itself."""
    topic = _topic(citizen, message.topic_code) or _topic(citizen, OTHER)
    if topic is None:
        return not_understood(conversation)
    return after_topic(conversation, citizen, topic, now)


def after_topic(conversation, citizen, topic, now) -> Reply:
    digipunten = places(citizen.municipality_id)
    if place_matters(digipunten):
        digipunten = digipunten[:MAX_PLACES]
        set_state(conversation, State.PLACE, now, {"topic": topic.pk, "places": [d.pk for d in digipunten]})
        options = tuple(Option(n, label=d.display_short_name) for n, d in enumerate(digipunten, 1))
        return Reply(
            "place_menu",
            conversation.language,
            values={"topic": short_topic_name(topic, conversation.language)},
            options=options,
        )
    return offer_slots(conversation, citizen, topic, None, now)


def choose_place(conversation, citizen, message, now) -> Reply:
    options = conversation.data.get("places", [])
    if message.number is None or not 1 <= message.number <= len(options):
        return not_understood(conversation, len(options))
    topic = Topic.objects.get(pk=conversation.data["topic"])
    return offer_slots(conversation, citizen, topic, options[message.number - 1], now)


def slot_options(slots) -> tuple[Option, ...]:
    return tuple(
        Option(number, start=s.start, place=s.digipunt.display_short_name)
        for number, s in enumerate(slots, 1)
    )


def offer_slots(
    conversation, citizen, topic, digipunt_id, now, *, after=None, taken=False, fits=None, moving=None
) -> Reply:
    """Three times that differ (conversations.offers). `moving`: the appointment being moved, whose
    own time does not count as taken; the time chosen then moves it instead of booking anew."""
    language = conversation.language
    slots = offers.find_slots(
        citizen=citizen,
        topic=topic,
        language=language,
        digipunt_id=digipunt_id,
        now=now,
        after=after,
        fits=fits,
        exclude_appointment=moving,
    )
    name = short_topic_name(topic, language)
    if not slots:
        if after is not None or fits is not None:
            # Nothing later or nothing that fits the wish: the times offered still stand.
            return say(conversation, "no_later_slots", count=len(conversation.data.get("slots", [])))
        if moving is not None:
            set_state(conversation, State.IDLE, now)
            return say(conversation, "no_other_slot", phone=municipality_phone(citizen))
        set_state(conversation, State.WAITLIST, now, {"topic": topic.pk, "place": digipunt_id})
        return say(conversation, "no_slot", Event.NO_SLOT, topic=name)
    data = {"topic": topic.pk, "place": digipunt_id, "slots": offers.encode(slots)}
    values = {"topic": name}
    if moving is not None:
        data["appointment"] = moving.pk
        if not taken:
            values["start"] = moving.start
    set_state(conversation, State.RESCHEDULE if moving is not None else State.SLOT, now, data)
    key = "slot_taken" if taken else ("reschedule_menu" if moving is not None else "slot_menu")
    return Reply(key, language, values=values, options=slot_options(slots), more=True)


def _moving(conversation, citizen):
    pk = conversation.data.get("appointment")
    if pk is None:
        return None
    return Appointment.objects.filter(pk=pk, citizen=citizen).select_related("digipunt", "topic").first()


def choose_slot(conversation, citizen, message, now) -> Reply:
    """The answer to three times offered, for a new appointment or one being moved."""
    data = conversation.data
    topic = Topic.objects.get(pk=data["topic"])
    options = data.get("slots", [])
    moving = _moving(conversation, citizen)
    if "appointment" in data and moving is None:
        set_state(conversation, State.IDLE, now)
        return say(conversation, "no_appointment")
    if message.number is not None and 1 <= message.number <= len(options):
        start, digipunt_id = offers.decode(options[message.number - 1])
        return take(conversation, citizen, topic, start, digipunt_id, now, moving)
    if message.wish:
        return follow_wish(conversation, citizen, topic, message.wish, now, moving)
    if message.intent == MORE:
        last = offers.decode(options[-1]) if options else None
        return offer_slots(conversation, citizen, topic, data.get("place"), now, after=last, moving=moving)
    if moving is None and message.topic_code and message.topic_code != topic.code:
        return start_booking(conversation, citizen, message.topic_code, now)
    return not_understood(conversation, len(options))


def follow_wish(conversation, citizen, topic, wish, now, moving=None) -> Reply:
    """A wish for a day or a part of the day ("dinsdagnamiddag", "later"): the offered time that
    fits it is taken, else new times that fit it are offered."""
    options = [offers.decode(item) for item in conversation.data.get("slots", [])]
    shown = [start for start, _place in options]
    number = chosen_by_wish(wish, shown, now)
    if number is not None:
        start, digipunt_id = options[number - 1]
        return take(conversation, citizen, topic, start, digipunt_id, now, moving)
    return offer_slots(
        conversation,
        citizen,
        topic,
        conversation.data.get("place"),
        now,
        fits=lambda slot: fits_wish(wish, slot.start, shown, now),
        moving=moving,
    )


def take(conversation, citizen, topic, start, digipunt_id, now, moving=None) -> Reply:
    """Book the time chosen, or move `moving` to it: both or neither (appointments.lifecycle)."""
    language = conversation.language
    digipunt = Digipunt.objects.get(pk=digipunt_id)
    try:
        with transaction.atomic():
            if moving is not None:
                appointment = lifecycle.reschedule(
                    moving, start=start, digipunt=digipunt, channel=conversation.channel, now=now
                )
            else:
                appointment = booking.book(
                    citizen=citizen,
                    digipunt=digipunt,
                    topic=topic,
                    start=start,
                    language=language,
                    channel=conversation.channel,
                    now=now,
                )
    except (booking.SlotTaken, booking.BookingError, lifecycle.InvalidTransition):
        return offer_slots(
            conversation, citizen, topic, conversation.data.get("place"), now, taken=True, moving=moving
        )
    set_state(conversation, State.IDLE, now)
    if moving is not None:
        return Reply("rescheduled", language, event=Event.RESCHEDULED, appointment=appointment)
    return Reply("booked", language, event=Event.BOOKED, appointment=appointment)
