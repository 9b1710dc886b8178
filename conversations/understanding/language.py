"""Which language a citizen writes or speaks: nl, fr or en, or None when the text does not say.

Greetings and function words decide first (a one-word "Bonjour" or "Goeiemiddag" is certain);
otherwise lingua, a detector made for short texts, restricted to the three languages. Digits,
yes/no, ok, merci and the like say nothing: "merci" and "ok" are Flemish as much as French.
"""

import functools

from conversations.understanding.text import expand, fold

GREETINGS = {
    "nl": {
        "goeiemorgen", "goedemorgen", "goeiemiddag", "goedemiddag", "goeienavond", "goedenavond",
        "goeiendag", "goedendag", "goeiedag", "dag", "daag", "hallo", "hoi", "hallo daar",
        "goede morgen", "goede middag", "goeie morgen", "goeie middag", "goedenmiddag",
    },
    "fr": {
        "bonjour", "bonsoir", "salut", "coucou", "allo", "bonne journee", "bonjour madame",
        "bonjour monsieur",
    },
    "en": {
        "hi", "hello", "good morning", "good afternoon", "good evening", "hiya", "hi there", "hello there",
    },
}  # fmt: skip
# Words that say which language a sentence is in (besides the greetings).
LANGUAGE_WORDS = {
    "nl": {
        "ik", "wil", "met", "mijn", "een", "de", "het", "graag", "hulp", "voor", "niet", "kan", "en", "is",
        "kunt", "u", "mij", "afspraak", "gelieve", "aub", "bellen", "werkt", "nodig", "iets", "morgen",
        "dinsdag", "donderdag", "woensdag", "vrijdag", "maandag", "zaterdag", "liever", "dank", "bedankt",
        "wanneer", "waar", "hoe", "dat", "die", "goed", "bij", "op", "ook", "nog", "heb", "geen", "naar",
    },
    "fr": {
        "je", "veux", "avec", "mon", "ma", "mes", "une", "le", "la", "les", "pour", "pas", "aide", "est",
        "vous", "moi", "svp", "rdv", "besoin", "voudrais", "demain", "mardi", "jeudi", "lundi", "mercredi",
        "vendredi", "samedi", "un", "du", "des", "j", "suis", "ne", "quand", "ou", "comment", "bien", "et",
    },
    "en": {
        "i", "want", "with", "my", "a", "the", "please", "help", "for", "not", "can", "need", "is", "you",
        "me", "call", "appointment", "tomorrow", "tuesday", "thursday", "monday", "wednesday", "friday",
        "would", "like", "when", "where", "how", "have", "am", "do", "to", "it", "of", "on",
    },
}  # fmt: skip
# Answers that never switch the language of a conversation.
NEUTRAL = {
    "ok", "ja", "nee", "neen", "oui", "non", "yes", "no", "merci", "plus", "later", "info", "help", "sms",
    "stop", "top", "super", "prima", "perfect", "thanks", "thx", "bye", "daag", "oke", "okay", "svp",
}  # fmt: skip
LINGUA_CODES = {"DUTCH": "nl", "FRENCH": "fr", "ENGLISH": "en"}
# lingua's confidence (0-1) a text needs before its guess counts.
MIN_CONFIDENCE = 0.6


@functools.cache
def detector():
    """Built once, on first use: loading only three languages' models keeps it at ~20 MB."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH, Language.ENGLISH).build()


def _greeting(text: str) -> str | None:
    for language, greetings in GREETINGS.items():
        for greeting in greetings:
            if text == greeting or text.startswith(greeting + " "):
                return language
    return None


def language_of(body: str) -> str | None:
    """The language of a message, or None when it does not say (digits, yes, ok, merci, a name)."""
    text = expand(fold(body))
    words = [word for word in text.split() if not word.isdecimal()]
    if not words or all(word in NEUTRAL for word in words):
        return None
    greeting = _greeting(text)
    if greeting and len(words) <= 3:
        return greeting
    scores = {code: sum(word in vocabulary for word in words) for code, vocabulary in LANGUAGE_WORDS.items()}
    if greeting:
        scores[greeting] += 2
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= 2 and ranked[0] >= 2 * ranked[1]:
        return max(scores, key=scores.get)
    if len(words) < 2 and len(text) < 8:
        return greeting  # one short unknown word ("gsm", "bjr?") is no evidence
    values = detector().compute_language_confidence_values(text)
    best = values[0]
    if best.value >= MIN_CONFIDENCE:
        return LINGUA_CODES[best.language.name]
    if ranked[0] > ranked[1]:
        return max(scores, key=scores.get)
    return None
