"""Which help a citizen needs, from the topic menu's words or a few free words: "my phone",
"mon smartphone", "mijne gsm", "iets met itsme", "belastingen". Stems in the three languages,
the municipality's own topic names (passed in, never read here), and typos through rapidfuzz.
"""

import functools

from conversations.understanding.text import contains, fold, near

TOPIC_WORDS = {
    "banking": (
        "bank", "banque", "bancaire", "betalen", "overschrijv", "paiement", "virement", "digipass",
        "payconiq", "kbc", "belfius", "ing", "argenta", "bnp",
    ),
    "taxes": (
        "belasting", "tax", "taxes", "impot", "myminfin", "aangifte", "fiscal", "declaration", "tax on web",
    ),
    "school": (
        "school", "ecole", "inschrijving kind", "inscription scolaire", "enrol", "leerling", "smartschool",
    ),
    "health": (
        "gezondheid", "dokter", "huisarts", "ziekenfonds", "mutualiteit", "sante", "medecin", "mutuelle",
        "health", "doctor", "masante", "mijngezondheid", "vaccin", "ziekenhuis", "hopital", "apotheek",
    ),
    "eid": (
        "eid", "itsme", "identiteitskaart", "kaartlezer", "pincode", "carte d identite", "identity card",
        "card reader", "lecteur", "csam", "pin code", "id kaart",
    ),
    "government": ("burgerprofiel", "mygov", "overheid", "attest", "gouvernement", "government", "formulier"),
    "benefits_work": (
        "uitkering", "werkloos", "werkzoek", "vdab", "pensioen", "allocation", "emploi", "chomage", "pension",
        "benefit", "job", "sollicit", "cv", "groeipakket", "kinderbijslag", "forem", "actiris", "werk",
    ),
    "housing_energy": (
        "wonen", "huur", "energie", "elektriciteit", "electricit", "logement", "loyer", "housing", "energy",
        "electricity",
        "fluvius", "engie", "luminus", "gas", "water", "meter",
    ),
    "mobility": ("trein", "bus", "lijn", "nmbs", "sncb", "train", "ticket", "billet", "mobiliteit", "stib"),
    "online_safety": (
        "phishing", "fraude", "oplichting", "wachtwoord", "virus", "arnaque", "scam", "veilig", "securite",
        "password", "mot de passe", "hack", "gehackt", "pirate", "spam",
    ),
    "communication": (
        "email", "e mail", "mail", "whatsapp", "videobellen", "videocall", "courriel", "facebook", "zoom",
        "teams", "skype", "messenger",
    ),
    "device_basics": (
        "smartphone", "gsm", "computer", "laptop", "tablet", "ordinateur", "telefoon", "phone", "telephone",
        "iphone", "android", "samsung", "ipad", "pc", "ordi", "portable", "printer", "imprimante", "wifi",
        "internet", "apps", "app", "toestel", "tablette",
    ),
}  # fmt: skip
# Stems short enough that only the whole word counts ("app" is not "appel", "ing" not "inge").
_WHOLE_WORD = 4
_ORDER = {code: order for order, code in enumerate(TOPIC_WORDS)}
# Indexes built once: a word is looked up, not compared with every stem.
_WORDS = {}
_PREFIXES = {}
_PHRASES = {}
for _code, _stems in reversed(TOPIC_WORDS.items()):  # reversed: the first topic's stem wins
    for _stem in _stems:
        if " " in _stem:
            _PHRASES[_stem] = _code
        elif len(_stem) >= _WHOLE_WORD:
            _PREFIXES[_stem] = _code
        else:
            _WORDS[_stem] = _code
_LONGEST_PREFIX = max(len(stem) for stem in _PREFIXES)
# Stems a typo may reach: long enough that a near miss is not another word.
_LONG_STEMS = {stem: code for code, stems in TOPIC_WORDS.items() for stem in stems if len(stem) >= 5}
# Words that look like stems but are not topics: "appel"/"appelez" (a call), "werkt" (it works).
_NOT_TOPICS = {"appel", "appelez", "appeler", "rappel", "werkt", "werken", "mailbox", "telephoner"}


def _stem_topics(text: str, words: list[str]) -> set[str]:
    found = {code for stem, code in _PHRASES.items() if contains(text, stem)}
    for word in words:
        if word in _WORDS:
            found.add(_WORDS[word])
        for end in range(_WHOLE_WORD, min(len(word), _LONGEST_PREFIX) + 1):
            if word[:end] in _PREFIXES:
                found.add(_PREFIXES[word[:end]])
    return found


@functools.lru_cache(maxsize=4096)
def _folded_name(name: str) -> str:
    # The same few dozen topic names come with every message: folded once per process.
    return fold(name)


def topic_code(text: str, topic_names: dict[str, list[str]] | None = None) -> str | None:
    """The topic a (folded) text names, by stems, topic names, or a near miss of either.

    Of several topics named, the first in TOPIC_WORDS wins: "de app van mijn bank" is banking,
    not the phone it runs on."""
    words = [word for word in text.split() if word not in _NOT_TOPICS]
    found = _stem_topics(text, words)
    if found:
        return min(found, key=_ORDER.get)
    names = {code: [_folded_name(name) for name in names] for code, names in (topic_names or {}).items()}
    for code, full_names in names.items():
        if any(name and contains(text, name) for name in full_names):
            return code
    # A typo ("belastinegn"): compare long words with the stems.
    for word in words:
        if len(word) >= 5:
            match = near(word, _LONG_STEMS) or near(word[:-1], _LONG_STEMS)
            if match:
                return _LONG_STEMS[match]
    return None
