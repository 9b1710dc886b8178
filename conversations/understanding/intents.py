"""What a citizen wants: book, cancel, reschedule, be called, stop or start messages, yes or no.

Whole-message keywords first (with typos), then phrases inside a sentence. Every rule works on
folded, expanded text (`text.fold`, `text.expand`), so "Gelieve mij te bellen aub!" and "kunde mij
bellen" meet the same phrase.
"""

import re

from conversations.understanding.text import contains, expand, fold, near

BOOK, CANCEL, CALLBACK, INFO, MORE, YES, NO, THANKS, STOP, START, RESCHEDULE = (
    "book",
    "cancel",
    "callback",
    "info",
    "more",
    "yes",
    "no",
    "thanks",
    "stop",
    "start",
    "reschedule",
)

# Opt-out words and the language their confirmation is in (None: the citizen's language).
OPT_OUT_WORDS = {
    "stop": None,
    "stopall": None,
    "stoppen": "nl",
    "uitschrijven": "nl",
    "arret": "fr",
    "arreter": "fr",
    "unsubscribe": "en",
    "end": "en",
    "quit": "en",
}
# Opt-out said in a sentence: it must name the messages ("stop sms", "geen berichten meer"), so a
# "stop" about something else ("mijn bankapp stopt steeds") never unsubscribes anyone.
OPT_OUT_SENTENCES = [
    (re.compile(r"\bsms\b(?:\s+\w+){0,2}\s+(?:stoppen|stopzetten|uitzetten|afzetten)\b"), "nl"),
    (re.compile(r"\bgeen\s+(?:\w+\s+){0,2}sms\s+meer\b"), "nl"),
    (re.compile(r"\bwil\s+(?:\w+\s+){0,2}geen\s+(?:\w+\s+){0,2}sms\b"), "nl"),
    (re.compile(r"\b(?:mij|me)\s+(?:\w+\s+)?uitschrijven\b|\buitschrijven\s+(?:\w+\s+){0,2}sms\b"), "nl"),
    (re.compile(r"\barret(?:er|ez|e)?\b(?:\s+\w+){0,3}?\s+sms\b"), "fr"),
    (re.compile(r"^(?:svp\s+)?plus\s+(?:de|d)\s+sms\b"), "fr"),
    (re.compile(r"\bne\s+(?:\w+\s+){0,2}plus\s+(?:recevoir|m envoyer|envoyer)\b"), "fr"),
    (re.compile(r"\bveux\s+plus\s+(?:de\s+|d\s+)?(?:sms|recevoir)\b"), "fr"),
    (re.compile(r"\bme\s+desinscri\w*|\bdesinscri\w*\s+(?:\w+\s+){0,2}sms\b"), "fr"),
    (re.compile(r"\bno more sms\b|\bstop sending\b"), "en"),
    (re.compile(r"\b(?:don t|do not|dont)\s+(?:\w+\s+){0,2}(?:send|sms)\b"), "en"),
    (re.compile(r"^(?:please\s+)?unsubscribe\b|\bunsubscribe me\b"), "en"),
    # "stop" is said in every language: the confirmation goes in the citizen's.
    (re.compile(r"\bstop\b(?:\s+\w+){0,3}?\s+sms\b"), None),
    (re.compile(r"\bstoppen\b(?:\s+\w+){0,3}?\s+sms\b"), "nl"),
]
OPT_IN_WORDS = {"start", "unstop", "inschrijven"}

# Whole-message keywords: (intent, language or None when the word says nothing about language).
KEYWORDS = {
    "afspraak": (BOOK, "nl"),
    "afspraak maken": (BOOK, "nl"),
    "rdv": (BOOK, "fr"),
    "rendez vous": (BOOK, "fr"),
    "rendezvous": (BOOK, "fr"),
    "book": (BOOK, "en"),
    "appointment": (BOOK, "en"),
    "annuleer": (CANCEL, "nl"),
    "annuleren": (CANCEL, "nl"),
    "annuler": (CANCEL, "fr"),
    "annulation": (CANCEL, "fr"),
    "cancel": (CANCEL, "en"),
    "verzetten": (RESCHEDULE, "nl"),
    "verzet": (RESCHEDULE, "nl"),
    "verplaatsen": (RESCHEDULE, "nl"),
    "deplacer": (RESCHEDULE, "fr"),
    "reporter": (RESCHEDULE, "fr"),
    "reschedule": (RESCHEDULE, "en"),
    "bel mij": (CALLBACK, "nl"),
    "bel me": (CALLBACK, "nl"),
    "bellen": (CALLBACK, "nl"),
    "terugbellen": (CALLBACK, "nl"),
    "appelez moi": (CALLBACK, "fr"),
    "appelez nous": (CALLBACK, "fr"),
    "rappelez moi": (CALLBACK, "fr"),
    "appel": (CALLBACK, "fr"),
    "rappel": (CALLBACK, "fr"),
    "call me": (CALLBACK, "en"),
    "call back": (CALLBACK, "en"),
    "info": (INFO, None),
    "help": (INFO, None),  # Dutch speakers say "help" too
    "hulp": (INFO, "nl"),
    "aide": (INFO, "fr"),
    "meer": (MORE, "nl"),
    "plus": (MORE, "fr"),
    "more": (MORE, "en"),
    "later": (MORE, None),
    "plus tard": (MORE, "fr"),
    "andere": (MORE, "nl"),
    "autres": (MORE, "fr"),
    "others": (MORE, "en"),
    "ja": (YES, "nl"),
    "oui": (YES, "fr"),
    "yes": (YES, "en"),
    "ok": (YES, None),
    "nee": (NO, "nl"),
    "neen": (NO, "nl"),
    "non": (NO, "fr"),
    "no": (NO, "en"),
    "dank u": (THANKS, "nl"),
    "dank je": (THANKS, "nl"),
    "bedankt": (THANKS, "nl"),
    "merci": (THANKS, "fr"),
    "thanks": (THANKS, "en"),
    "thank you": (THANKS, "en"),
}
# Keywords a typo may reach: long enough that a near miss is not another word.
FUZZY_KEYWORDS = {word: meaning for word, meaning in KEYWORDS.items() if len(word) >= 6}

# Short answers that mean yes or no as a whole message, besides the keywords above.
ANSWERS = {
    YES: (
        "ja graag",
        "ja hoor",
        "jawel",
        "jaja",
        "jep",
        "zeker",
        "goed",
        "is goed",
        "dat is goed",
        "dat s goed",
        "das goed",
        "ok goed",
        "in orde",
        "prima",
        "perfect",
        "top",
        "akkoord",
        "doe maar",
        "graag",
        "oui merci",
        "oui svp",
        "ouais",
        "d accord",
        "dac",
        "dacc",
        "ca marche",
        "parfait",
        "c est bon",
        "tres bien",
        "yes please",
        "yep",
        "yup",
        "yeah",
        "sure",
        "fine",
        "sounds good",
        "good",
        "ok please",
        "ok svp",
        "ok merci",
        "ok thanks",
        "ja ok",
        "ja dat is goed",
    ),
    NO: (
        "nee dank u",
        "nee bedankt",
        "neen dank u",
        "liever niet",
        "nee merci",
        "niet nodig",
        "non merci",
        "pas besoin",
        "pas vraiment",
        "no thanks",
        "no thank you",
        "nope",
        "nah",
        "not needed",
    ),
}

# Phrases inside sentences ("ik kan niet komen", "can someone call me"), in the order they win:
# "ik kan niet komen, kan ik verzetten?" wants another time, not only to cancel.
PHRASES = [
    (
        RESCHEDULE,
        "nl",
        (
            "verzetten",
            "verzet",
            "verplaatsen",
            "verplaats",
            "verschuiven",
            "andere dag",
            "ander moment",
            "ander uur",
            "ander tijdstip",
            "andere datum",
            "afspraak wijzigen",
            "later zetten",
            "ander moment zetten",
            "afspraak veranderen",
        ),
    ),
    (
        RESCHEDULE,
        "fr",
        (
            "deplacer",
            "deplace",
            "reporter",
            "reporte",
            "autre jour",
            "autre date",
            "autre moment",
            "autre heure",
            "changer de date",
            "changer mon rdv",
            "changer le rdv",
            "changer mon rendez vous",
            "modifier mon rdv",
            "modifier mon rendez vous",
        ),
    ),
    (
        RESCHEDULE,
        "en",
        (
            "reschedule",
            "rescheduling",
            "another day",
            "other day",
            "different day",
            "another time",
            "different time",
            "move my appointment",
            "change my appointment",
            "change the appointment",
        ),
    ),
    (
        CANCEL,
        "nl",
        (
            "kan niet komen",
            "kan toch niet",
            "kom niet",
            "niet kunnen komen",
            "afspraak annuleren",
            "afzeggen",
            "annuleer",
            "annuleren",
        ),
    ),
    (CANCEL, "fr", ("peux pas venir", "pourrai pas venir", "viendrai pas", "annuler", "annule")),
    (CANCEL, "en", ("cannot come", "can t come", "cant come", "can not come", "won t come", "cancel")),
    (
        CALLBACK,
        "nl",
        ("bel mij", "bel me", "mij bellen", "mij te bellen", "mij terugbellen", "me bellen", "terugbellen"),
    ),
    (
        CALLBACK,
        "fr",
        ("appelez moi", "rappelez moi", "m appeler", "me rappeler", "m appelez", "me telephoner", "rappel"),
    ),
    (CALLBACK, "en", ("call me", "call back", "phone me", "ring me", "give me a call")),
    (BOOK, "nl", ("afspraak", "hulp nodig", "wil hulp", "help nodig", "langskomen", "hulp bij", "hulp met")),
    (BOOK, "fr", ("rendez vous", "rdv", "besoin d aide", "aide pour", "aide avec", "passer")),
    (BOOK, "en", ("appointment", "need help", "help with", "want help", "book")),
]
# "ik zeg mijn afspraak af": a Dutch separable verb, the particle at the end of the clause.
_CANCEL_SEPARABLE = re.compile(r"\bzeg\b(?:\s+\w+){0,4}\s+af\b")
_RESCHEDULE_SEPARABLE = re.compile(r"\bzet\b(?:\s+\w+){0,4}\s+(?:om|over|naar|later)\b")


def opt_out_meaning(body: str) -> tuple[bool, str | None]:
    """Whether `body` asks to stop all messages, and the language it does so in."""
    text = fold(body)
    if text in OPT_OUT_WORDS:
        return True, OPT_OUT_WORDS[text]
    expanded = expand(text)
    if len(expanded.split()) > 12:
        return False, None  # a long story that mentions SMS is not an opt-out
    for pattern, language in OPT_OUT_SENTENCES:
        if pattern.search(expanded):
            return True, language
    return False, None


def is_opt_out(body: str) -> bool:
    return opt_out_meaning(body)[0]


def opt_out_language(body: str) -> str | None:
    return opt_out_meaning(body)[1]


def is_opt_in(body: str) -> bool:
    return fold(body) in OPT_IN_WORDS


def keyword(text: str) -> tuple[str, str | None] | None:
    """(intent, language) when the whole message is a keyword or short answer, typos forgiven."""
    if text in KEYWORDS:
        return KEYWORDS[text]
    for intent, answers in ANSWERS.items():
        if text in answers:
            return intent, None
    if len(text.split()) <= 2:
        match = near(text, FUZZY_KEYWORDS) or near(text.replace(" ", ""), FUZZY_KEYWORDS)
        if match:
            return FUZZY_KEYWORDS[match]
    return None


def phrase(text: str) -> tuple[str, str] | None:
    """(intent, language of the phrase) when a sentence says what the citizen wants."""
    # The separable verbs first: "ik zeg mijn afspraak af" names an appointment, to cancel it.
    if _RESCHEDULE_SEPARABLE.search(text) and "afspraak" in text:
        return RESCHEDULE, "nl"
    if _CANCEL_SEPARABLE.search(text):
        return CANCEL, "nl"
    for intent, language, phrases in PHRASES:
        if any(contains(text, candidate) for candidate in phrases):
            return intent, language
    # A typo of a keyword inside a sentence ("ik wil een afsprak").
    for word in text.split():
        if len(word) >= 6:
            match = near(word, FUZZY_KEYWORDS)
            if match and FUZZY_KEYWORDS[match][0] in (BOOK, CANCEL, RESCHEDULE):
                intent, language = FUZZY_KEYWORDS[match]
                return intent, language
    return None
