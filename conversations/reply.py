"""The dialogue's answer, the same for every channel: what to say, what the citizen may answer,
and what happened. A channel only renders it: `sms/` into a text (sms.texts, at most two GSM-7
segments), `voice/` into speech and a keypad menu. Nothing here is worded: wording belongs to
the channel.

    reply = conversations.dialogue.handle(citizen, text, channel="sms", now=now)
    reply.key        # which message: one of MESSAGES below, e.g. "slot_menu"
    reply.language   # "nl", "fr" or "en": the language to answer in
    reply.values     # the message's values, plain (str, int, aware datetime in UTC)
    reply.options    # the numbered choices, in order: Option(number, label, start, place)
    reply.more       # True when asking for more (SMS "MEER", a key on the phone) gives another page
    reply.event      # what the message led to (Event), counted in the statistics
    reply.appointment  # the appointment booked, moved or cancelled, when there is one

Numbers: options are numbered from 1 and never reach 9 (9 always means "I cannot come", reminders
say so). A yes/no question has no options: 1 is yes, 2 is no (`YES_NO` lists the keys).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a message led to. The codes are those of sms.InboundMessage.Event."""

    NONE = "", _("Nothing")
    BOOKED = "booked", _("Booked")
    NO_SLOT = "no_slot", _("No free time found")
    WAITLISTED = "waitlisted", _("Put on the waitlist")
    CANCELLED = "cancelled", _("Cancelled an appointment")
    RESCHEDULED = "rescheduled", _("Moved an appointment")
    CALLBACK = "callback", _("Asked to be called")
    NOT_UNDERSTOOD = "not_understood", _("Not understood")


@dataclass(frozen=True)
class Option:
    """One numbered choice. A topic or a place has a `label` (its short name in the reply's
    language); a time has `start` (aware, UTC) and `place` (the short name of where)."""

    number: int
    label: str = ""
    start: datetime.datetime | None = None
    place: str = ""


@dataclass(frozen=True)
class Reply:
    key: str
    language: str
    values: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    event: str = Event.NONE
    more: bool = False
    appointment: Any = None  # appointments.models.Appointment (not imported: keeps this module light)


# Every message key and the values it carries. The options column says what `options` holds.
MESSAGES = {
    # Menus
    "topic_menu": (),  # options: topics; more: another page of topics
    "describe_need": (),  # "Other": asks for a few words on what the citizen needs
    "place_menu": ("topic",),  # options: places
    "slot_menu": ("topic",),  # options: times; more: later times
    "slot_taken": ("topic",),  # the time chosen was just taken (booking or moving); options: new times
    "no_later_slots": ("count",),  # no later times: choose 1..count of those offered
    "reschedule_menu": ("topic", "start"),  # moving the appointment at `start`; options: new times
    # Outcomes
    "booked": (),  # appointment: the one booked
    "rescheduled": (),  # appointment: the new one (the old is cancelled with it, or neither)
    "no_other_slot": ("phone",),  # nothing else free to move to: the appointment stays
    "no_slot": ("topic",),  # yes/no: join the waitlist?
    "waitlisted": ("topic",),
    "waitlist_offer": ("start", "place", "topic"),  # yes/no: a freed time (sent unasked)
    "offer_gone": (),
    "offer_declined": (),
    "cancel_question": ("start", "place"),  # yes/no
    "cancelled": ("start",),  # appointment: the one cancelled
    "kept": (),
    "no_appointment": (),
    "cannot_cancel": ("phone",),  # too late: call `phone` (national format, may be "")
    # Being called back
    "callback_today": ("until",),  # "HH:MM"
    "callback_later": ("start", "opens", "closes"),  # start: the day; opens/closes: "HH:MM"
    "callback_soon": (),
    "offer_callback": (),  # yes/no, after two answers not understood
    "callback_declined": (),
    # Other
    "info": ("municipality", "phone"),
    "not_understood": ("count",),  # answer 1..count
    "not_understood_yes_no": (),
    "welcome_back": (),
}

YES_NO = frozenset({"no_slot", "waitlist_offer", "cancel_question", "offer_callback"})
