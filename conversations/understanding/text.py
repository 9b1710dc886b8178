"""Normalising what a citizen wrote or said, and matching words and phrases in it.

`fold` is the one normal form every rule compares against; `expand` then spells out SMS shorthand
and Flemish forms ("afspr", "plz", "kunde", "mijne") so the lexicons need only the full words.
"""

import unicodedata

from rapidfuzz import fuzz, process

MAX_LENGTH = 1600

# Shorthand and dialect forms, each a whole folded word, and what they stand for.
SHORTHAND = {
    "afspr": "afspraak",
    "afsp": "afspraak",
    "afsprk": "afspraak",
    "apt": "appointment",
    "appt": "appointment",
    "rv": "rdv",
    "plz": "please",
    "pls": "please",
    "plse": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "tnx": "thanks",
    "ty": "thanks",
    "mrc": "merci",
    "mrci": "merci",
    "bdankt": "bedankt",
    "bjr": "bonjour",
    "bjour": "bonjour",
    "bsr": "bonsoir",
    "slt": "salut",
    "stp": "svp",
    "vndg": "vandaag",
    "vdg": "vandaag",
    "mrgn": "morgen",
    "morge": "morgen",
    "2morrow": "tomorrow",
    "2moro": "tomorrow",
    "2morow": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2day": "today",
    "2nite": "tonight",
    "dmn": "demain",
    "dm1": "demain",
    "2main": "demain",
    "ajd": "aujourd hui",
    "auj": "aujourd hui",
    "aujd": "aujourd hui",
    "nmdg": "namiddag",
    "vmdg": "voormiddag",
    "aprem": "apres midi",
    "goe": "goed",
    "gd": "goed",
    "oke": "ok",
    "okay": "ok",
    "okey": "ok",
    "oki": "ok",
    "okido": "ok",
    "okidoki": "ok",
    "kunde": "kunt u",
    "kunt ge": "kunt u",
    "kunnen jullie": "kunt u",
    "zijde": "zijt u",
    "wilde": "wilt u",
    "ge": "u",
    "gij": "u",
    "mijne": "mijn",
    "mijnen": "mijn",
    "ma": "mijn",
    "k": "ik",
    "da": "dat",
    "nr": "nummer",
    "num": "numero",
    "tel": "telefoon",
    "nen": "een",
    "sms je": "sms",
    "smsje": "sms",
    "smskes": "sms",
    "smsen": "sms",
    "smss": "sms",
    "texts": "sms",
    "text": "sms",
    "messages": "sms",
    "message": "sms",
    "berichten": "sms",
    "bericht": "sms",
    "berichtjes": "sms",
}
_SHORTHAND_PHRASES = {key: value for key, value in SHORTHAND.items() if " " in key}
_SHORTHAND_WORDS = {key: value for key, value in SHORTHAND.items() if " " not in key}
# "ma" is French "my" as well as Flemish "mijn", "da" French slang: in a French sentence they stay.
# ("me", "m", "t" and "am" are left alone altogether: English "call me", "can't", "I am".)
_FRENCH_HINTS = {"je", "j", "vous", "mon", "le", "la", "les", "pour", "pas", "est", "rdv", "svp", "un", "une"}
_DUTCH_ONLY = {"ma", "da", "nen"}


def fold(text: str) -> str:
    """Lower case without accents, control characters or punctuation; any script's digits as 0-9."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_LENGTH]
    out = []
    for char in unicodedata.normalize("NFD", text):
        category = unicodedata.category(char)
        if category == "Mn":
            continue  # a combining accent
        if category == "Nd":
            out.append(str(unicodedata.digit(char)))
        elif char.isalnum():
            out.append(char.lower())
        else:
            out.append(" ")  # punctuation, symbols, emoji, control characters
    return " ".join("".join(out).split())


def expand(folded: str) -> str:
    """`folded` with shorthand and dialect forms spelled out ("kunde mij bellen" → "kunt u mij bellen")."""
    for short, full in _SHORTHAND_PHRASES.items():
        if contains(folded, short):
            folded = f" {folded} ".replace(f" {short} ", f" {full} ").strip()
    words = folded.split()
    french = any(word in _FRENCH_HINTS for word in words)
    return " ".join(
        word if french and word in _DUTCH_ONLY else _SHORTHAND_WORDS.get(word, word) for word in words
    )


def contains(text: str, phrase: str) -> bool:
    """Whether `phrase` stands in folded `text` as whole words (folded text is words and single
    spaces only, so padding both with a space is the whole-word test, without a regex)."""
    return f" {phrase} " in f" {text} "


def near(word: str, candidates, cutoff: float = 80) -> str | None:
    """The candidate `word` is a typo of (Indel similarity, 0-100), or None."""
    if isinstance(candidates, dict):
        candidates = list(candidates)  # rapidfuzz would match a dict's values, not its keys
    match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
    return match[0] if match else None
