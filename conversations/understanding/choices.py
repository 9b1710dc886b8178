"""Which of the numbered options a citizen picks: "2", "de tweede", "nummer twee", "ok 1 is goed",
"le premier", "the first one". Speech gives numbers as words, SMS as digits; both count.
"""

import re

# Number words 1-12 in the three languages (folded). "een" is also the Dutch article, "one" the
# English pronoun: they only count as a choice when nothing but fillers stands around them.
NUMBER_WORDS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
ORDINAL_WORDS = {
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "premier": 1,
    "premiere": 1,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
    "first": 1,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
_ARTICLES = {"een", "un", "une", "one"}
# "2de", "2e", "1ste", "1er", "2eme", "2nd", "3rd".
_NUMBERED_ORDINAL = re.compile(r"^(\d{1,2})(?:ste|de|e|er|ere|eme|ieme|st|nd|rd|th)$")
# Words that introduce a number ("nummer 2", "optie drie").
MARKERS = {"nummer", "nummers", "number", "numero", "no", "keuze", "optie", "option", "choix"}
# Words that may stand around a choice without changing it ("ok 1 is goed", "ik neem de eerste").
FILLERS = MARKERS | {
    "ok",
    "ja",
    "yes",
    "oui",
    "graag",
    "aub",
    "svp",
    "please",
    "is",
    "goed",
    "prima",
    "perfect",
    "de",
    "het",
    "die",
    "dat",
    "s",
    "la",
    "le",
    "l",
    "the",
    "one",
    "doe",
    "maar",
    "dan",
    "ik",
    "neem",
    "kies",
    "wil",
    "je",
    "prends",
    "choisis",
    "veux",
    "voudrais",
    "c",
    "est",
    "bon",
    "parfait",
    "i",
    "ll",
    "take",
    "want",
    "choose",
    "it",
    "fine",
    "good",
    "great",
    "merci",
    "thanks",
    "bedankt",
    "alstublieft",
    "alsjeblieft",
    "moment",
    "tijdstip",
    "afspraak",
    "rdv",
    "heure",
    "time",
    "slot",
    "optie",
    "keuze",
}


def _value(word: str) -> int | None:
    if word.isdecimal() and len(word) <= 2:
        return int(word)
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    match = _NUMBERED_ORDINAL.match(word)
    if match:
        return int(match.group(1))
    return None


def choice_in(text: str) -> int | None:
    """The option number a (folded, expanded) message picks, or None.

    Either one number or ordinal among fillers only, or a number right after a marker word
    ("nummer twee", "keuze 3"). Anything else around it (a time unit, a date, a second number)
    means it is not a choice: "om 10u", "dinsdag 1 december", "1 of 2".
    """
    words = text.split()
    if not words or len(words) > 8:
        return None
    for marker_at, word in enumerate(words[:-1]):
        if word in MARKERS:
            following = words[marker_at + 1]
            value = _value(following) or NUMBER_WORDS.get(following)
            if value:
                return value
    values = [_value(word) for word in words]
    found = [value for value in values if value is not None]
    others = [word for word, value in zip(words, values, strict=True) if value is None]
    if len(found) == 1 and all(word in FILLERS for word in others):
        return found[0] or None
    if not found:
        spoken = [NUMBER_WORDS[word] for word in others if word in NUMBER_WORDS]
        rest = [word for word in others if word not in NUMBER_WORDS]
        # "een", "un", "one" are articles and pronouns too ("ik wil een afspraak"): alone only.
        alone = len(words) == 1 or not any(word in _ARTICLES for word in others)
        if len(spoken) == 1 and all(word in FILLERS for word in rest) and alone:
            return spoken[0]
        return None
    return None
