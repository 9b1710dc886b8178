"""Understanding a citizen in their own words, typed in an SMS or recognised from speech.

Pure functions on text; nothing here touches the database (topic names are passed in).

The dialogue calls one function::

    read(body, topic_names=None, now=None) -> Message

`Message` holds all that was understood; every field is None (or False) when the text does not say:

- `text`: the message folded (lower case, accents and punctuation gone);
- `number`: the whole message was a number ("2", "nr 2", "3.");
- `choice`: which numbered option the citizen picks: a number, an ordinal or a number word, with
  fillers around it ("de eerste", "nummer twee", "ok 1 is goed", "la deuxième", "the first one");
- `intent`: BOOK, CANCEL, RESCHEDULE, CALLBACK, INFO, MORE, YES, NO, THANKS, STOP or START, from
  a keyword or a phrase in a sentence ("ik zeg mijn afspraak af", "gelieve mij te bellen aub");
  `reschedule` is `intent == RESCHEDULE`;
- `language`: "nl", "fr" or "en" when the text says so (`language_of`), None for digits, yes/no,
  ok, merci and other answers that must not switch a conversation's language;
- `topic_code`: the help asked for ("mijne gsm", "iets met itsme", "mes impôts");
- `wish`: a `Wish` for a day, part of day or hour, later, earlier, another day or next week
  ("dinsdagnamiddag", "om 10u", "mardi matin", "volgende week"), days resolved against `now`
  (default: the current time) in Brussels. `choose(wish, offered)` gives the choice number of
  the offered time that fits, or None; `fits(wish, moment, offered)` tests one time.

Opting out is checked before reading (`is_opt_out`, `opt_out_language`, `is_opt_in`): a bare STOP
word, or a sentence about the messages themselves ("stop sms", "geen sms meer"); a "stop" about
anything else ("mijn bankapp stopt steeds") is not one.

Where each rule lives: `text` (folding, shorthand, fuzzy matching with rapidfuzz), `intents`,
`choices`, `wishes` (dateparser for days), `language` (greetings, function words, lingua) and
`topics`. docs/architecture.md says how to add a phrasing.
"""

import datetime
import re
from dataclasses import dataclass

from conversations.understanding.choices import choice_in
from conversations.understanding.intents import (
    BOOK,
    CALLBACK,
    CANCEL,
    FUZZY_KEYWORDS,
    INFO,
    KEYWORDS,
    MORE,
    NO,
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    PHRASES,
    RESCHEDULE,
    START,
    STOP,
    THANKS,
    YES,
    is_opt_in,
    is_opt_out,
    keyword,
    opt_out_language,
    phrase,
)
from conversations.understanding.language import LANGUAGE_WORDS, language_of
from conversations.understanding.text import MAX_LENGTH, expand, fold
from conversations.understanding.topics import TOPIC_WORDS, topic_code
from conversations.understanding.wishes import (
    AFTERNOON,
    BRUSSELS,
    EVENING,
    MONTHS,
    MORNING,
    Wish,
    choose,
    fits,
    wish_in,
)

__all__ = [
    "AFTERNOON",
    "BOOK",
    "CALLBACK",
    "CANCEL",
    "EVENING",
    "FUZZY_KEYWORDS",
    "INFO",
    "KEYWORDS",
    "LANGUAGE_WORDS",
    "MAX_LENGTH",
    "MORE",
    "MORNING",
    "NO",
    "OPT_IN_WORDS",
    "OPT_OUT_WORDS",
    "PHRASES",
    "RESCHEDULE",
    "START",
    "STOP",
    "THANKS",
    "TOPIC_WORDS",
    "YES",
    "Message",
    "Wish",
    "choose",
    "fits",
    "fold",
    "is_opt_in",
    "is_opt_out",
    "language_of",
    "opt_out_language",
    "read",
    "topic_code",
]

# Intents whose words say nothing about the language (a Flemish "merci", a French "ok").
_SHORT_ANSWERS = (YES, NO, MORE, THANKS)


@dataclass(frozen=True)
class Message:
    text: str  # normalised: lower case, accents folded, punctuation as spaces
    number: int | None = None  # the whole message was a number
    intent: str | None = None
    language: str | None = None
    topic_code: str | None = None
    choice: int | None = None  # the numbered option picked, by digit, ordinal or number word
    wish: Wish | None = None  # a day, part of day or hour the citizen would rather have

    @property
    def reschedule(self) -> bool:
        return self.intent == RESCHEDULE


def _number(text: str) -> int | None:
    squeezed = text.replace(" ", "")
    if squeezed.isdecimal() and len(squeezed) <= 3:
        return int(squeezed)
    # "1." or "nr 2" or "keuze 3": one short number with a word around it.
    numbers = re.findall(r"\b\d{1,2}\b", text)
    words = text.split()
    if len(numbers) == 1 and len(words) <= 2 and not any(word in MONTHS for word in words):
        return int(numbers[0])  # but "1 december" is a day
    return None


def read(
    body: str, topic_names: dict[str, list[str]] | None = None, now: datetime.datetime | None = None
) -> Message:
    """What the citizen said. `topic_names` maps topic codes to their names in all languages;
    `now` is the moment days like "dinsdag" or "morgen" are counted from."""
    text = fold(body)
    if not text:
        return Message(text="")
    number = _number(text)
    expanded = expand(text)
    choice = number if number is not None else choice_in(expanded)
    if choice is not None:
        return Message(text=text, number=number, choice=choice)
    if is_opt_out(body):
        return Message(text=text, intent=STOP, language=opt_out_language(body) or language_of(body))
    if is_opt_in(body):
        return Message(text=text, intent=START)
    wish = wish_in(body, now or datetime.datetime.now(BRUSSELS)) or None
    language = language_of(body)
    found = keyword(expanded)
    if found:
        intent, keyword_language = found
        if intent not in _SHORT_ANSWERS:
            language = language or keyword_language
        return Message(
            text=text,
            intent=intent,
            language=language,
            topic_code=topic_code(expanded, topic_names),
            wish=wish,
        )
    found = phrase(expanded)
    intent = None
    if found:
        intent, phrase_language = found
        language = language or phrase_language
    return Message(
        text=text, intent=intent, language=language, topic_code=topic_code(expanded, topic_names), wish=wish
    )
