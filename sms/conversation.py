"""The SMS conversation: one citizen's message in, one reply out. Plain functions, no HTTP.

`handle` runs inside the webhook's transaction with the conversation row locked, so two messages
of one citizen are answered one after the other. States (see Conversation.State) expire after
SMS_CONVERSATION_HOURS; an expired menu is as if none was open. The digit 9 is never a menu
option: it always means "I cannot come" (reminders and confirmations say so).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import formats

from appointments import booking, lifecycle, waitlist
from appointments.models import Appointment, Channel, WaitlistEntry
from appointments.slots import free_slots
from helpdesk.localtime import local_zone
from helpdesk.models import Citizen, Digipunt, Topic
from helpdesk.opening import closures_by_digipunt, opening_periods
from sms import callbacks, outbox, reminders, understanding
from sms.labels import short_topic_name
from sms.models import CallbackRequest, Conversation, InboundMessage, OutboundMessage
from sms.texts import render
from sms.understanding import BOOK, CALLBACK, CANCEL, INFO, MORE, NO, THANKS, YES

State = Conversation.State
Event = InboundMessage.Event
CANCEL_DIGIT = 9
MAX_TOPICS = 8
MAX_SLOTS = 3
SEARCH_DAYS = 7  # slot search grows in windows of a week up to the booking horizon
NOT_UNDERSTOOD_LIMIT = 2


@dataclass
class Reply:
    text: str
    event: str = Event.NONE


def menu_topics(municipality_id: int) -> list[Topic]:
    topics = list(Topic.objects.for_municipality(municipality_id).filter(is_active=True))
    if len(topics) <= MAX_TOPICS:
        return topics
    other = [t for t in topics if t.code == "other"]
    return [t for t in topics if t.code != "other"][: MAX_TOPICS - len(other)] + other


def topic_names(municipality_id: int) -> dict[str, list[str]]:
    return {
        t.code: [t.name_nl, t.name_fr, t.name_en]
        for t in Topic.objects.for_municipality(municipality_id).filter(is_active=True)
    }


def places(municipality_id: int) -> list[Digipunt]:
    return list(Digipunt.objects.filter(municipality_id=municipality_id, is_active=True).order_by("name"))


MAX_PLACES = 8  # 9 means "cancel", so no menu goes that far


def place_matters(digipunten: list[Digipunt]) -> bool:
    """Ask where first only when the places lie in different towns (deelgemeenten)."""
    return len({(d.postal_code, d.city.strip().lower()) for d in digipunten}) > 1


def find_slots(*, citizen, topic, language, digipunt_id, now, after=None, limit=MAX_SLOTS):
    """The next free slots after `after` (a (start, digipunt id) key), nearest first."""
    zone = local_zone()
    scope = {"digipunten": [digipunt_id]} if digipunt_id else {"municipality": citizen.municipality}
    horizon = max((d.booking_horizon_days for d in places(citizen.municipality_id)), default=0)
    first = now.astimezone(zone).date()
    if after is not None:
        first = max(first, after[0].astimezone(zone).date())
    last = now.astimezone(zone).date() + datetime.timedelta(days=horizon)
    found = []
    while first <= last and len(found) < limit:
        window_end = min(first + datetime.timedelta(days=SEARCH_DAYS - 1), last)
        for slot in free_slots(
            topic=topic,
            language=language,
            start_date=first,
            end_date=window_end,
            now=now,
            citizen=citizen,
            **scope,
        ):
            if after is None or (slot.start, slot.digipunt.pk) > after:
                found.append(slot)
        first = window_end + datetime.timedelta(days=1)
    found.sort(key=lambda s: (s.start, s.digipunt.pk))
    return found[:limit]


# State helpers


def load(citizen: Citizen, now: datetime.datetime) -> Conversation:
    """The citizen's conversation, locked for this transaction; expired menus are closed."""
    Conversation.objects.get_or_create(citizen=citizen, defaults={"language": citizen.language})
    conversation = Conversation.objects.select_for_update().get(citizen=citizen)
    if conversation.expires_at and conversation.expires_at <= now:
        conversation.state, conversation.data, conversation.misunderstood = State.IDLE, {}, 0
        conversation.expires_at = None
    return conversation


def _set(conversation, state, now, data=None, expires_at=None):
    conversation.state = state
    conversation.data = data or {}
    conversation.misunderstood = 0
    conversation.expires_at = (
        None
        if state == State.IDLE
        else expires_at or now + datetime.timedelta(hours=settings.SMS_CONVERSATION_HOURS)
    )


def _slot_pairs(slots):
    return [(s.start, s.digipunt.display_short_name) for s in slots]


def _encode(slots):
    return [[s.start.isoformat(), s.digipunt.pk] for s in slots]


def _decode(item):
    return datetime.datetime.fromisoformat(item[0]), int(item[1])


# The entry point


def handle(citizen: Citizen, body: str, *, now: datetime.datetime) -> Reply:
    """Answer one message of `citizen` (call within a transaction)."""
    municipality = citizen.municipality
    if understanding.is_opt_out(body):
        return opt_out(citizen, now, understanding.opt_out_language(body) or citizen.language)
    if understanding.is_opt_in(body):
        return opt_in(citizen, now)
    if citizen.sms_opt_out:
        return Reply("", Event.IGNORED)
    conversation = load(citizen, now)
    message = understanding.read(body, topic_names(municipality.pk))
    # Short answers (ja, non, ok, plus) do not switch the language of a conversation under way.
    says_language = message.intent not in (YES, NO, MORE, THANKS)
    if message.language and says_language and message.language != conversation.language:
        conversation.language = message.language
        Citizen.objects.filter(pk=citizen.pk).update(language=message.language)
        citizen.language = message.language
    reply = respond(conversation, citizen, message, now)
    if reply.event != Event.NOT_UNDERSTOOD and conversation.state != State.CALLBACK:
        conversation.misunderstood = 0
    conversation.save()
    return reply


def respond(conversation, citizen, message, now) -> Reply:
    language = conversation.language
    # Commands that work whatever is open.
    if message.number == CANCEL_DIGIT:
        return cancel_after_reminder(conversation, citizen, now)
    if message.intent == CANCEL:
        return ask_cancel(conversation, citizen, now)
    if message.intent == CALLBACK:
        return callback(conversation, citizen, now)
    if message.intent == INFO:
        _set(conversation, State.IDLE, now)
        return Reply(render("info", language, municipality=citizen.municipality.name, phone=_phone(citizen)))
    if message.intent == BOOK and message.number is None:
        return start_booking(conversation, citizen, message.topic_code, now)
    handler = {
        State.TOPIC: choose_topic,
        State.PLACE: choose_place,
        State.SLOT: choose_slot,
        State.WAITLIST: answer_waitlist,
        State.OFFER: answer_offer,
        State.CANCEL: confirm_cancel,
        State.CALLBACK: answer_callback_offer,
    }.get(conversation.state)
    if handler is not None:
        return handler(conversation, citizen, message, now)
    if message.intent == THANKS:
        return Reply(render("welcome_back", language))
    # Any first message starts a booking (with the topic, if it named one).
    return start_booking(conversation, citizen, message.topic_code, now)


def _phone(citizen) -> str:
    number = citizen.municipality.phone
    return number.as_national if number else ""


def _yes_no(message) -> bool | None:
    if message.number == 1 or message.intent == YES:
        return True
    if message.number == 2 or message.intent == NO:
        return False
    return None


def not_understood(conversation, count=None) -> Reply:
    """One more reply that made no sense: after two in a row, offer a call."""
    conversation.misunderstood += 1
    language = conversation.language
    if conversation.misunderstood >= NOT_UNDERSTOOD_LIMIT:
        conversation.state = State.CALLBACK
        conversation.data = {}
        return Reply(render("offer_callback", language), Event.NOT_UNDERSTOOD)
    if count:
        return Reply(render("not_understood", language, count=count), Event.NOT_UNDERSTOOD)
    return Reply(render("not_understood_yes_no", language), Event.NOT_UNDERSTOOD)


# Booking


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


# Waitlist


def answer_waitlist(conversation, citizen, message, now) -> Reply:
    answer = _yes_no(message)
    if answer is None:
        return not_understood(conversation)
    topic = Topic.objects.get(pk=conversation.data["topic"])
    digipunt_id = conversation.data.get("place")
    _set(conversation, State.IDLE, now)
    if not answer:
        return Reply(render("callback_declined", conversation.language))
    waitlist.add(
        citizen=citizen,
        topic=topic,
        language=conversation.language,
        channel=Channel.SMS,
        digipunt=Digipunt.objects.filter(pk=digipunt_id).first(),
    )
    return Reply(
        render("waitlisted", conversation.language, topic=short_topic_name(topic, conversation.language)),
        Event.WAITLISTED,
    )


def text_waitlist_offer(entry: WaitlistEntry, *, now: datetime.datetime) -> OutboundMessage | None:
    """Text a waiting citizen the freed time and open the yes/no question (same transaction).

    Not while the citizen is in the middle of another exchange (their "1" would answer the wrong
    question): then the offer stays on the counter's list for staff to phone."""
    citizen = entry.citizen
    busy = Conversation.objects.filter(citizen=citizen, expires_at__gt=now).exclude(state=State.IDLE)
    if busy.exists():
        return None
    language = entry.language if entry.language in ("nl", "fr", "en") else citizen.language
    message = outbox.queue(
        municipality_id=entry.municipality_id,
        to=citizen.phone,
        citizen=citizen,
        kind=OutboundMessage.Kind.WAITLIST_OFFER,
        body=render(
            "waitlist_offer",
            language,
            start=entry.offered_start,
            place=entry.offered_digipunt.display_short_name,
            topic=short_topic_name(entry.topic, language),
        ),
        key=f"offer:{entry.pk}:{entry.offered_start.isoformat()}",
    )
    if message is not None:
        conversation, _created = Conversation.objects.get_or_create(
            citizen=citizen, defaults={"language": language}
        )
        conversation.language = language
        _set(
            conversation,
            State.OFFER,
            now,
            {"entry": entry.pk, "start": entry.offered_start.isoformat(), "place": entry.offered_digipunt_id},
            expires_at=entry.offered_start,
        )
        conversation.save()
    return message


def answer_offer(conversation, citizen, message, now) -> Reply:
    answer = _yes_no(message)
    if answer is None:
        return not_understood(conversation)
    data = conversation.data
    entry = WaitlistEntry.objects.filter(pk=data["entry"], status=WaitlistEntry.Status.OFFERED).first()
    _set(conversation, State.IDLE, now)
    language = conversation.language
    if entry is None:
        return Reply(render("offer_gone", language))
    if not answer:
        _back_in_line(entry)
        # The time is still free: the next person in line gets the chance.
        start = datetime.datetime.fromisoformat(data["start"])
        waitlist.offer_time(
            Digipunt.objects.get(pk=data["place"]),
            start,
            start + datetime.timedelta(minutes=entry.topic.default_duration_minutes),
            now=now,
            skip_citizen_id=citizen.pk,
        )
        return Reply(render("offer_declined", language))
    try:
        appointment = booking.book(
            citizen=citizen,
            digipunt=Digipunt.objects.get(pk=data["place"]),
            topic=entry.topic,
            start=datetime.datetime.fromisoformat(data["start"]),
            language=entry.language,
            channel=Channel.SMS,
            now=now,
        )
    except (booking.SlotTaken, booking.BookingError):
        _back_in_line(entry)
        return Reply(render("offer_gone", language))
    return Reply(reminders.confirmation_text(appointment), Event.BOOKED)


def _back_in_line(entry):
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.Status.WAITING, offered_start=None, offered_digipunt=None
    )


# Cancelling


def next_appointment(citizen, now) -> Appointment | None:
    return (
        Appointment.objects.filter(citizen=citizen, status=Appointment.Status.BOOKED, start__gt=now)
        .select_related("digipunt")
        .order_by("start")
        .first()
    )


def cancel_after_reminder(conversation, citizen, now) -> Reply:
    """ "9" answers the last reminder: that appointment is cancelled at once (the reminder named it)."""
    reminded = (
        OutboundMessage.objects.filter(
            citizen=citizen,
            kind=OutboundMessage.Kind.REMINDER,
            status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.DELIVERED],
            appointment__status=Appointment.Status.BOOKED,
            appointment__start__gt=now,
        )
        .select_related("appointment")
        .order_by("-sent_at")
        .first()
    )
    if reminded is None:
        return ask_cancel(conversation, citizen, now)
    return do_cancel(conversation, citizen, reminded.appointment, now)


def ask_cancel(conversation, citizen, now) -> Reply:
    appointment = next_appointment(citizen, now)
    if appointment is None:
        _set(conversation, State.IDLE, now)
        return Reply(render("no_appointment", conversation.language))
    _set(conversation, State.CANCEL, now, {"appointment": appointment.pk}, expires_at=appointment.start)
    return Reply(
        render(
            "cancel_question",
            conversation.language,
            start=appointment.start,
            place=appointment.digipunt.display_short_name,
        )
    )


def confirm_cancel(conversation, citizen, message, now) -> Reply:
    answer = _yes_no(message)
    if answer is None:
        return not_understood(conversation)
    appointment = Appointment.objects.filter(pk=conversation.data.get("appointment"), citizen=citizen).first()
    if not answer or appointment is None:
        _set(conversation, State.IDLE, now)
        return Reply(render("kept", conversation.language))
    return do_cancel(conversation, citizen, appointment, now)


def do_cancel(conversation, citizen, appointment, now) -> Reply:
    _set(conversation, State.IDLE, now)
    language = conversation.language
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
        return Reply(render("cannot_cancel", language, phone=_phone(citizen)))
    try:
        with transaction.atomic():
            lifecycle.cancel(appointment, reason="SMS", channel=Channel.SMS, now=now)
    except lifecycle.InvalidTransition:
        return Reply(render("cannot_cancel", language, phone=_phone(citizen)))
    return Reply(render("cancelled", language, start=appointment.start), Event.CANCELLED)


# Opting out and in


def opt_out(citizen, now, language) -> Reply:
    Citizen.objects.filter(pk=citizen.pk).update(sms_opt_out=True)
    citizen.sms_opt_out = True
    # Nothing more goes out: queued reminders and offers are cancelled with the opt-out.
    OutboundMessage.objects.filter(
        citizen=citizen, status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]
    ).update(status=OutboundMessage.Status.CANCELLED, last_error="opted out")
    Conversation.objects.filter(citizen=citizen).update(state=State.IDLE, data={}, expires_at=None)
    return Reply(render("opted_out", language), Event.OPTED_OUT)


def opt_in(citizen, now) -> Reply:
    Citizen.objects.filter(pk=citizen.pk).update(sms_opt_out=False)
    citizen.sms_opt_out = False
    # Reminders cancelled by the opt-out come back for appointments still ahead.
    OutboundMessage.objects.filter(
        citizen=citizen,
        kind=OutboundMessage.Kind.REMINDER,
        status=OutboundMessage.Status.CANCELLED,
        last_error="opted out",
        due_at__gt=now,
        appointment__status=Appointment.Status.BOOKED,
    ).update(status=OutboundMessage.Status.QUEUED, last_error="")
    return Reply(render("opted_in", citizen.language), Event.OPTED_IN)


# Callbacks


def callback(conversation, citizen, now, reason=CallbackRequest.Reason.ASKED) -> Reply:
    _set(conversation, State.IDLE, now)
    callbacks.request(citizen=citizen, phone=str(citizen.phone), reason=reason, now=now)
    return Reply(when_we_call(citizen, conversation.language, now), Event.CALLBACK)


def answer_callback_offer(conversation, citizen, message, now) -> Reply:
    answer = _yes_no(message)
    if answer is None:
        # Still nothing that makes sense: stay on the question, do not loop the counter.
        return Reply(render("offer_callback", conversation.language), Event.NOT_UNDERSTOOD)
    if not answer:
        _set(conversation, State.IDLE, now)
        return Reply(render("callback_declined", conversation.language))
    return callback(conversation, citizen, now, CallbackRequest.Reason.NOT_UNDERSTOOD)


def when_we_call(citizen, language, now) -> str:
    """The next opening period of any digipunt of the municipality: when staff can phone."""
    zone = local_zone()
    local_now = now.astimezone(zone)
    digipunten = Digipunt.objects.filter(
        municipality_id=citizen.municipality_id, is_active=True
    ).prefetch_related("opening_hours")
    digipunten = list(digipunten)
    first, last = local_now.date(), local_now.date() + datetime.timedelta(days=14)
    closures = closures_by_digipunt(digipunten, first, last)
    day = first
    while day <= last:
        periods = sorted(p for d in digipunten for p in opening_periods(d, day, closures[d.pk]))
        if day == first:
            periods = [(o, c) for o, c in periods if c > local_now.time()]
        if periods:
            opens, closes = min(p[0] for p in periods), max(p[1] for p in periods)
            if day == first:
                return render("callback_today", language, until=formats.time_format(closes, "H:i"))
            moment = datetime.datetime.combine(day, opens, tzinfo=zone)
            return render(
                "callback_later",
                language,
                start=moment,
                opens=formats.time_format(opens, "H:i"),
                closes=formats.time_format(closes, "H:i"),
            )
        day += datetime.timedelta(days=1)
    return render("callback_soon", language)
