"""Reading a citizen's SMS: keywords, digits, topics and language, forgiving typos and accents.

Pure functions on text; nothing here touches the database. Opt-out words are matched exactly
(whole message, trimmed, any case, accents folded): "stop please" is a sentence, not an opt-out.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 1600

# Intents
BOOK, CANCEL, CALLBACK, INFO, MORE, YES, NO, THANKS, STOP, START = (
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
)

# Opt-out words and the language their confirmation is in (None: the citizen's language).
OPT_OUT_WORDS = {
    "stop": None,
    "stopall": None,
    "stoppen": "nl",
    "uitschrijven": "nl",
    "arret": "fr",
    "unsubscribe": "en",
    "end": "en",
    "quit": "en",
}
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
    "bel mij": (CALLBACK, "nl"),
    "bel me": (CALLBACK, "nl"),
    "bellen": (CALLBACK, "nl"),
    "terugbellen": (CALLBACK, "nl"),
    "appelez moi": (CALLBACK, "fr"),
    "appelez nous": (CALLBACK, "fr"),
    "rappelez moi": (CALLBACK, "fr"),
    "appel": (CALLBACK, "fr"),
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

# Phrases inside sentences ("ik kan niet komen", "can someone call me").
PHRASES = [
    (CANCEL, "nl", ("kan niet komen", "kan toch niet", "afspraak annuleren", "afzeggen", "annuleer")),
    (CANCEL, "fr", ("peux pas venir", "pourrai pas venir", "annuler", "annule")),
    (CANCEL, "en", ("cannot come", "can t come", "cant come", "can not come", "cancel")),
    (CALLBACK, "nl", ("bel mij", "bel me", "mij bellen", "mij terugbellen", "me bellen", "terugbellen")),
    (CALLBACK, "fr", ("appelez moi", "rappelez moi", "m appeler", "me rappeler", "m appelez")),
    (CALLBACK, "en", ("call me", "call back", "phone me", "ring me")),
    (BOOK, "nl", ("afspraak", "hulp nodig", "wil hulp", "help nodig")),
    (BOOK, "fr", ("rendez vous", "rdv", "besoin d aide", "aide pour", "aide avec")),
    (BOOK, "en", ("appointment", "need help", "help with", "want help", "book")),
]

# Words that say which language a sentence is in.
LANGUAGE_WORDS = {
    "nl": {
        "ik",
        "wil",
        "met",
        "mijn",
        "een",
        "de",
        "het",
        "graag",
        "hulp",
        "voor",
        "niet",
        "kan",
        "en",
        "is",
    },
    "fr": {"je", "veux", "avec", "mon", "ma", "mes", "une", "le", "la", "les", "pour", "pas", "aide", "est"},
    "en": {"i", "want", "with", "my", "a", "the", "please", "help", "for", "not", "can", "need", "is"},
}

# Stems that name a topic in any of the three languages (topic names are matched as well).
TOPIC_WORDS = {
    "banking": ("bank", "banque", "bancaire", "betalen", "overschrijv", "paiement", "virement", "digipass"),
    "taxes": ("belasting", "tax", "taxes", "impot", "myminfin", "aangifte", "fiscal", "declaration"),
    "school": ("school", "ecole", "inschrijving kind", "inscription scolaire", "enrol", "leerling"),
    "health": (
        "gezondheid",
        "dokter",
        "huisarts",
        "ziekenfonds",
        "mutualiteit",
        "sante",
        "medecin",
        "mutuelle",
        "health",
        "doctor",
        "masante",
        "mijngezondheid",
        "vaccin",
    ),
    "eid": (
        "eid",
        "itsme",
        "identiteitskaart",
        "kaartlezer",
        "pincode",
        "carte d identite",
        "identity card",
        "card reader",
        "lecteur",
    ),
    "government": ("burgerprofiel", "mygov", "overheid", "attest", "gouvernement", "government"),
    "benefits_work": (
        "uitkering",
        "werkloos",
        "werkzoek",
        "vdab",
        "pensioen",
        "allocation",
        "emploi",
        "chomage",
        "pension",
        "benefit",
        "job",
    ),
    "housing_energy": (
        "wonen",
        "huur",
        "energie",
        "elektriciteit",
        "logement",
        "loyer",
        "housing",
        "energy",
        "electricity",
    ),
    "mobility": ("trein", "bus", "lijn", "nmbs", "sncb", "train", "ticket", "billet", "mobiliteit"),
    "communication": ("email", "e mail", "mail", "whatsapp", "videobellen", "videocall", "courriel"),
    "device_basics": ("smartphone", "gsm", "computer", "laptop", "tablet", "ordinateur", "telefoon"),
    "online_safety": (
        "phishing",
        "fraude",
        "oplichting",
        "wachtwoord",
        "virus",
        "arnaque",
        "scam",
        "veilig",
        "securite",
        "password",
    ),
}


@dataclass(frozen=True)
class Message:
    text: str  # normalised: lower case, accents folded, punctuation as spaces
    number: int | None = None  # the whole message was a number
    intent: str | None = None
    language: str | None = None
    topic_code: str | None = None


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


def is_opt_out(body: str) -> bool:
    return fold(body) in OPT_OUT_WORDS


def opt_out_language(body: str) -> str | None:
    return OPT_OUT_WORDS.get(fold(body))


def is_opt_in(body: str) -> bool:
    return fold(body) in OPT_IN_WORDS


def _language_of(words: list[str]) -> str | None:
    scores = {code: sum(word in vocabulary for word in words) for code, vocabulary in LANGUAGE_WORDS.items()}
    best = max(scores, key=scores.get)
    top = scores[best]
    if top == 0 or list(scores.values()).count(top) > 1:
        return None
    return best


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _near(word: str, candidates) -> str | None:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.8)
    return match[0] if match else None


def topic_code(text: str, topic_names: dict[str, list[str]] | None = None) -> str | None:
    """The topic a (folded) text names, by stems, topic names, or a near miss of either."""
    words = text.split()
    names = {code: [fold(name) for name in names] for code, names in (topic_names or {}).items()}
    for code, stems in TOPIC_WORDS.items():
        for stem in stems:
            if " " in stem and _contains(text, stem):
                return code
            if any(word.startswith(stem) and (len(stem) >= 4 or word == stem) for word in words):
                return code
    for code, full_names in names.items():
        if any(name and _contains(text, name) for name in full_names):
            return code
    # A typo ("belastinegn"): compare long words with the stems.
    long_stems = {stem: code for code, stems in TOPIC_WORDS.items() for stem in stems if len(stem) >= 5}
    for word in words:
        if len(word) >= 5:
            near = _near(word, long_stems) or _near(word[: len(word) - 1], long_stems)
            if near:
                return long_stems[near]
    return None


def read(body: str, topic_names: dict[str, list[str]] | None = None) -> Message:
    """What the citizen said. `topic_names` maps topic codes to their names in all languages."""
    text = fold(body)
    if not text:
        return Message(text="")
    squeezed = text.replace(" ", "")
    if squeezed.isdecimal() and len(squeezed) <= 3:
        return Message(text=text, number=int(squeezed))
    # "1." or "nr 2" or "keuze 3": one short number with a word around it.
    numbers = re.findall(r"\b\d{1,2}\b", text)
    words = text.split()
    if len(numbers) == 1 and len(words) <= 2:
        return Message(text=text, number=int(numbers[0]))
    if text in KEYWORDS:
        intent, language = KEYWORDS[text]
        return Message(text=text, intent=intent, language=language)
    if len(words) <= 2:
        near = _near(text, FUZZY_KEYWORDS) or _near(squeezed, FUZZY_KEYWORDS)
        if near:
            intent, language = FUZZY_KEYWORDS[near]
            return Message(
                text=text, intent=intent, language=language, topic_code=topic_code(text, topic_names)
            )
    language = _language_of(words)
    topic = topic_code(text, topic_names)
    for intent, phrase_language, phrases in PHRASES:
        if any(_contains(text, phrase) for phrase in phrases):
            return Message(text=text, intent=intent, language=language or phrase_language, topic_code=topic)
    # A typo of a keyword inside a sentence ("ik wil een afsprak").
    for word in words:
        if len(word) >= 6:
            near = _near(word, FUZZY_KEYWORDS)
            if near and FUZZY_KEYWORDS[near][0] in (BOOK, CANCEL):
                intent, keyword_language = FUZZY_KEYWORDS[near]
                return Message(
                    text=text, intent=intent, language=language or keyword_language, topic_code=topic
                )
    return Message(text=text, language=language, topic_code=topic)
