"""When a citizen would rather come: "dinsdag", "dinsdagnamiddag", "om 10u", "liever in de
namiddag", "later", "een andere dag", "volgende week", "mardi matin", "in the afternoon".

`wish_in` turns the words into a `Wish`; `fits` says whether a time meets it and `choose` picks
the offered time that does. dateparser resolves the days ("dinsdag", "morgen", "3 december",
"le 3 décembre") against now in Brussels; parts of the day and hours are a small lexicon here,
because dateparser reads "om 10u" and "dinsdag om 10 uur" wrongly.
"""

import datetime
import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass

from conversations.understanding.choices import NUMBER_WORDS
from conversations.understanding.text import MAX_LENGTH, SHORTHAND, contains, expand, fold

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
# Local hours each part of the day covers: [start, end).
PART_HOURS = {MORNING: (0, 12), AFTERNOON: (12, 17), EVENING: (17, 24)}

PART_WORDS = {
    "voormiddag": MORNING,
    "ochtend": MORNING,
    "morgens": MORNING,  # "'s morgens"; "morgen" alone is tomorrow
    "ochtends": MORNING,
    "matin": MORNING,
    "matinee": MORNING,
    "morning": MORNING,
    "namiddag": AFTERNOON,
    "middag": AFTERNOON,
    "middags": AFTERNOON,
    "noen": AFTERNOON,
    "apres midi": AFTERNOON,
    "apresmidi": AFTERNOON,
    "afternoon": AFTERNOON,
    "avond": EVENING,
    "avonds": EVENING,
    "soir": EVENING,
    "soiree": EVENING,
    "evening": EVENING,
    "tonight": EVENING,
}
LATER = ("later", "plus tard", "iets later", "wat later", "laat")
EARLIER = ("vroeger", "eerder", "plus tot", "earlier", "sooner")
OTHER_DAY = (
    "andere dag",
    "andere datum",
    "autre jour",
    "autre date",
    "another day",
    "other day",
    "different day",
)
NEXT_WEEK = (
    "volgende week",
    "week erna",
    "week daarop",
    "semaine prochaine",
    "semaine suivante",
    "next week",
    "following week",
)
# Words that start a day dateparser can resolve; only texts holding one are handed to it.
DAY_ANCHORS = {
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "vandaag", "morgen", "overmorgen", "aujourd hui", "demain", "apres demain", "today", "tomorrow",
}  # fmt: skip
MONTHS = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "january", "february",
    "march", "june", "july", "august", "october", "jan", "feb", "mrt", "apr", "jun", "jul",
    "aug", "sep", "sept", "okt", "oct", "nov", "dec",
}  # fmt: skip
_COMPOUND = re.compile(
    r"^(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|morgen|overmorgen)"
    r"(voormiddag|namiddag|middag|ochtend|avond)$"
)
_TRIGGERS = (
    DAY_ANCHORS
    | MONTHS
    | {phrase.split()[0] for phrase in (*PART_WORDS, *LATER, *EARLIER, *OTHER_DAY, *NEXT_WEEK)}
    | {"aujourd", "apres", "half", "uur", "heure", "heures", "clock"}
)
_MODIFIERS = {"volgende", "komende", "prochain", "prochaine", "next", "this", "deze", "ce", "cette"}
# "10u", "10 uur", "10h30", "10:30", "14.30", "2 pm", "ten o'clock" (folded "o clock").
_HOUR = re.compile(
    r"(?<![\d/])(\d{1,2})\s*"
    r"(?:(?:uur|heures|heure|hr|u|h|o clock)(?![a-z])(?:\s*(\d{2})\b)?|[:.](\d{2})\b|\s*(am|pm)\b)"
)
_AT_HOUR = re.compile(r"\b(?:om|rond|tegen|vers|a|at|around)\s+(\d{1,2})\b(?!\s*(?:/|de\b|e\b|december|dec))")
_HALF = re.compile(r"\bhalf\s+(\w+)\b")
_SPOKEN_HOUR = re.compile(r"\b(\w+)\s+(?:uur|heures?|o clock)\b")


@dataclass(frozen=True)
class Wish:
    """What a citizen would rather have; every field None or False means no wish about it."""

    day: datetime.date | None = None  # a named day, resolved to a date in Brussels
    part: str | None = None  # MORNING, AFTERNOON or EVENING
    hour: int | None = None  # local hour, 0-23
    minute: int | None = None  # only when said: "om 10u" fits 10:00 and 10:30
    later: bool = False  # later than the times offered
    earlier: bool = False
    other_day: bool = False  # on none of the days offered
    next_week: bool = False  # in the calendar week after now's

    def __bool__(self) -> bool:
        return any(
            (
                self.day,
                self.part,
                self.hour is not None,
                self.later,
                self.earlier,
                self.other_day,
                self.next_week,
            )
        )

    @property
    def specific(self) -> bool:
        """Whether the wish names a day, part of day or hour (not only "another time")."""
        return bool(self.day or self.part or self.hour is not None)


def _soft(body: str) -> str:
    """Lower case with accents kept (dateparser needs "après-demain"), punctuation as spaces except
    between digits ("3/12", "10:30")."""
    text = unicodedata.normalize("NFKC", body or "")[:MAX_LENGTH].lower()
    text = re.sub(r"(?<=\d)[:.](?=\d\d)", ":", text)
    text = re.sub(r"(?<=\d)/(?=\d)", "/", text)
    return " ".join(re.sub(r"[^\w/:]+", " ", text).split())


@functools.cache
def _dateparser():
    import dateparser  # imported lazily: ~0.1 s and its language data load on first use

    return dateparser


def _parse_day(phrase: str, now: datetime.datetime) -> datetime.date | None:
    local = now.astimezone(BRUSSELS)
    return _parse_day_on(phrase, local.date())


# dateparser takes milliseconds a call; the same few phrases ("dinsdag", "morgen") come back all
# day, and what they mean depends only on the date they are said on.
@functools.lru_cache(maxsize=2048)
def _parse_day_on(phrase: str, today: datetime.date) -> datetime.date | None:
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time(12)),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = _dateparser().parse(phrase, languages=["nl", "fr", "en"], settings=settings)
    return parsed.date() if parsed else None


def _dateish(soft_word: str) -> bool:
    word = fold(soft_word)
    return (
        word in DAY_ANCHORS
        or word in MONTHS
        or word in {"aujourd hui", "apres demain", "de", "le", "the", "of"}
        or word.isdecimal()
        or re.fullmatch(r"\d{1,2}(?:/\d{1,4}){1,2}|\d{1,2}(?:ste|de|e|er|st|nd|rd|th)", word) is not None
    )


def _day_in(soft_words: list[str], now: datetime.datetime) -> datetime.date | None:
    """The longest run of date words from a day anchor on that dateparser resolves to a date."""
    for start, soft_word in enumerate(soft_words):
        word = fold(soft_word)
        starts_day = word in DAY_ANCHORS or word in MONTHS or "/" in soft_word
        number_then_month = (
            word.isdecimal() and start + 1 < len(soft_words) and fold(soft_words[start + 1]) in MONTHS
        )
        if not (starts_day or number_then_month):
            continue
        end = start + 1
        while end < len(soft_words) and end - start < 5 and _dateish(soft_words[end]):
            end += 1
        for stop in range(end, start, -1):
            day = _parse_day(" ".join(soft_words[start:stop]), now)
            if day:
                return day
    return None


def _hour_in(text: str) -> tuple[int | None, int | None]:
    hour = minute = None
    match = _HOUR.search(text)
    if match:
        hour = int(match.group(1))
        minutes = match.group(2) or match.group(3)
        minute = int(minutes) if minutes else None
        if match.group(4) == "pm" and hour < 12:
            hour += 12
    elif match := _HALF.search(text):
        # Dutch "half drie" is 2:30.
        value = NUMBER_WORDS.get(match.group(1)) or (
            int(match.group(1)) if match.group(1).isdecimal() else None
        )
        if value:
            hour, minute = value - 1, 30
    elif match := _SPOKEN_HOUR.search(text):
        hour = NUMBER_WORDS.get(match.group(1))
    elif match := _AT_HOUR.search(text):
        hour = int(match.group(1))
    if hour is None or not 0 <= hour <= 23 or not 0 <= (minute or 0) <= 59:
        return None, None
    if 1 <= hour <= 7:
        hour += 12  # nobody books help at 2 at night: "om 2u" is the afternoon
    return hour, minute


def _soft_words(body: str) -> list[str]:
    """The words of `body` for dateparser: compounds split ("dinsdagnamiddag"), shorthand spelled
    out ("2morrow"), the French days whose apostrophe or hyphen punctuation took put back."""
    words = []
    for word in _soft(body).split():
        folded = fold(word)
        compound = _COMPOUND.match(folded)
        if compound:
            words.extend(compound.groups())
        elif folded in SHORTHAND and folded not in {"ma", "da"}:
            words.extend(SHORTHAND[folded].split())
        else:
            words.append(word)
    joined = " ".join(words)
    joined = re.sub(r"\bapr[eè]s demain\b", "après-demain", joined)
    joined = re.sub(r"\baujourd hui\b", "aujourd'hui", joined)
    return joined.split()


def _may_wish(folded: str) -> bool:
    """A cheap first look: most messages ("ja", "afspraak") hold no day, hour or part word."""
    return any(
        word in _TRIGGERS or _COMPOUND.match(word) or any(char.isdigit() for char in word)
        for word in expand(folded).split()
    )


def wish_in(body: str, now: datetime.datetime) -> Wish:
    """The wish a message states, resolved against `now` (any time zone)."""
    if not _may_wish(fold(body)):
        return Wish()
    soft_words = _soft_words(body)
    text = expand(fold(" ".join(soft_words).replace(":", " h ")))
    soft_words = [word for word in soft_words if fold(word) not in _MODIFIERS]
    hour, minute = _hour_in(text)
    part = next((part for word, part in PART_WORDS.items() if contains(text, word)), None)
    return Wish(
        day=_day_in(soft_words, now),
        part=part,
        hour=hour,
        minute=minute,
        later=any(contains(text, word) for word in LATER),
        earlier=any(contains(text, word) for word in EARLIER),
        other_day=any(contains(text, word) for word in OTHER_DAY),
        next_week=any(contains(text, word) for word in NEXT_WEEK),
    )


def fits(wish: Wish, moment: datetime.datetime, offered=(), now: datetime.datetime | None = None) -> bool:
    """Whether `moment` meets `wish`; `offered` are the times the citizen was shown (for "later",
    "earlier", "another day"), `now` the reference for "next week"."""
    local = moment.astimezone(BRUSSELS)
    shown = [time.astimezone(BRUSSELS) for time in offered]
    if wish.day and local.date() != wish.day:
        return False
    if wish.part:
        start, end = PART_HOURS[wish.part]
        if not start <= local.hour < end:
            return False
    if wish.hour is not None and local.hour != wish.hour:
        return False
    if wish.minute is not None and local.minute != wish.minute:
        return False
    if wish.later and shown and local <= max(shown):
        return False
    if wish.earlier and shown and local >= min(shown):
        return False
    if wish.other_day and local.date() in {time.date() for time in shown}:
        return False
    if wish.next_week:
        today = (now or datetime.datetime.now(BRUSSELS)).astimezone(BRUSSELS).date()
        monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=1)
        if not monday <= local.date() < monday + datetime.timedelta(weeks=1):
            return False
    return True


def choose(wish: Wish | None, offered, now: datetime.datetime | None = None) -> int | None:
    """The choice number (1-based, as the citizen would type it) of the offered time that meets
    the wish, or None: then the dialogue looks for new times that fit it (`fits`). Of several that
    fit, the one on the hour wins for "om 10u", else the first."""
    if not wish:
        return None
    offered = list(offered)
    fitting = [number for number, moment in enumerate(offered, start=1) if fits(wish, moment, offered, now)]
    if wish.hour is not None and wish.minute is None:
        on_the_hour = [number for number in fitting if offered[number - 1].minute == 0]
        fitting = on_the_hour or fitting
    return fitting[0] if fitting else None
