"""Booking by SMS: the topic menu, the place menu (only when the places lie in different towns),
three times at a time, then the booking itself.

The times offered are kept in the conversation as [start, digipunt id] pairs, so that "2" books
exactly the time the citizen read.
"""

import datetime

from appointments import booking
from appointments.models import Channel
from conversations.understanding import MORE
from helpdesk.models import Digipunt, Topic
from sms import reminders
from sms.dialogue.menus import MAX_PLACES, find_slots, menu_topics, place_matters, places
from sms.dialogue.state import Event, Reply, State, _set, not_understood
from sms.labels import short_topic_name
from sms.texts import render


def start_booking(conversation, citizen, topic_code, now) -> Reply:
    topics = menu_topics(citizen.municipality_id)
    topic = (
        Topic.objects.for_municipality(citizen.municipality_id)
        .filter(code=topic_code, is_active=True)
        .first()
    )
    if topic is None:
        _set(conversation, State.TOPIC, now, {"topics": [t.pk for t in topics]})
        labels = [short_topic_name(t, conversation.language) for t in topics]
        return Reply(render("topic_menu", conversation.language, topics=labels))
    return after_topic(conversation, citizen, topic, now)


def choose_topic(conversation, citizen, message, now) -> Reply:
    options = conversation.data.get("topics", [])
    topic = None
    if message.number is not None and 1 <= message.number <= len(options):
        topic = Topic.objects.filter(pk=options[message.number - 1]).first()
    elif message.topic_code:
        topic = (
            Topic.objects.for_municipality(citizen.municipality_id)
            .filter(code=message.topic_code, is_active=True)
            .first()
        )
    if topic is None:
        return not_understood(conversation, len(options))
    return after_topic(conversation, citizen, topic, now)


def after_topic(conversation, citizen, topic, now) -> Reply:
    digipunten = places(citizen.municipality_id)
    if place_matters(digipunten):
        digipunten = digipunten[:MAX_PLACES]
        _set(conversation, State.PLACE, now, {"topic": topic.pk, "places": [d.pk for d in digipunten]})
        return Reply(
            render("place_menu", conversation.language, places=[d.display_short_name for d in digipunten])
        )
    return offer_slots(conversation, citizen, topic, None, now)


def choose_place(conversation, citizen, message, now) -> Reply:
    options = conversation.data.get("places", [])
    if message.number is None or not 1 <= message.number <= len(options):
        return not_understood(conversation, len(options))
    topic = Topic.objects.get(pk=conversation.data["topic"])
    return offer_slots(conversation, citizen, topic, options[message.number - 1], now)


def offer_slots(conversation, citizen, topic, digipunt_id, now, *, after=None, taken=False) -> Reply:
    language = conversation.language
    slots = find_slots(
        citizen=citizen, topic=topic, language=language, digipunt_id=digipunt_id, now=now, after=after
    )
    name = short_topic_name(topic, language)
    if not slots:
        if after is not None:
            count = len(conversation.data.get("slots", []))
            return Reply(render("no_later_slots", language, count=count))
        _set(conversation, State.WAITLIST, now, {"topic": topic.pk, "place": digipunt_id})
        return Reply(render("no_slot", language, topic=name), Event.NO_SLOT)
    _set(conversation, State.SLOT, now, {"topic": topic.pk, "place": digipunt_id, "slots": _encode(slots)})
    text = "slot_taken" if taken else "slot_menu"
    return Reply(render(text, language, topic=name, slots=_slot_pairs(slots), more=True))


def choose_slot(conversation, citizen, message, now) -> Reply:
    data = conversation.data
    topic = Topic.objects.get(pk=data["topic"])
    options = data.get("slots", [])
    if message.intent == MORE:
        last = _decode(options[-1]) if options else None
        return offer_slots(conversation, citizen, topic, data.get("place"), now, after=last)
    if message.number is None or not 1 <= message.number <= len(options):
        if message.topic_code and message.topic_code != topic.code:
            return start_booking(conversation, citizen, message.topic_code, now)
        return not_understood(conversation, len(options))
    start, digipunt_id = _decode(options[message.number - 1])
    return book(conversation, citizen, topic, start, digipunt_id, now)


def book(conversation, citizen, topic, start, digipunt_id, now) -> Reply:
    language = conversation.language
    digipunt = Digipunt.objects.get(pk=digipunt_id)
    try:
        appointment = booking.book(
            citizen=citizen,
            digipunt=digipunt,
            topic=topic,
            start=start,
            language=language,
            channel=Channel.SMS,
            now=now,
        )
    except (booking.SlotTaken, booking.BookingError):
        return offer_slots(conversation, citizen, topic, conversation.data.get("place"), now, taken=True)
    _set(conversation, State.IDLE, now)
    return Reply(reminders.confirmation_text(appointment), Event.BOOKED)


def _slot_pairs(slots):
    return [(s.start, s.digipunt.display_short_name) for s in slots]


def _encode(slots):
    return [[s.start.isoformat(), s.digipunt.pk] for s in slots]


def _decode(item):
    return datetime.datetime.fromisoformat(item[0]), int(item[1])
