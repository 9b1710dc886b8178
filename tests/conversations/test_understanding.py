"""Reading free text: keywords, typos, sentences, languages, and anything at all (hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations import understanding
from conversations.understanding import BOOK, CALLBACK, CANCEL, INFO, MORE, read


@pytest.mark.parametrize(
    ("body", "intent", "language"),
    [
        ("AFSPRAAK", BOOK, "nl"),
        ("afsprak", BOOK, "nl"),
        ("Afspraak!!", BOOK, "nl"),
        ("rdv", BOOK, "fr"),
        ("Rendez-vous", BOOK, "fr"),
        ("book", BOOK, "en"),
        ("ANNULEER", CANCEL, "nl"),
        ("anuleer", CANCEL, "nl"),
        ("Annuler", CANCEL, "fr"),
        ("CANCEL", CANCEL, "en"),
        ("ik kan niet komen", CANCEL, "nl"),
        ("je ne peux pas venir demain", CANCEL, "fr"),
        ("sorry I can't come", CANCEL, "en"),
        ("BEL MIJ", CALLBACK, "nl"),
        ("kan iemand mij bellen aub", CALLBACK, "nl"),
        ("Appelez-moi", CALLBACK, "fr"),
        ("please call me", CALLBACK, "en"),
        ("INFO", INFO, None),
        ("help", INFO, None),
        # Short answers never switch the conversation's language.
        ("MEER", MORE, None),
        ("plus", MORE, None),
    ],
)
def test_intents(body, intent, language):
    message = read(body)
    assert message.intent == intent
    assert message.language == language


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("ik wil hulp met mijn belastingen", "taxes"),
        ("belastinegn", "taxes"),
        ("aide pour mes impôts", "taxes"),
        ("problem with my bank app", "banking"),
        ("itsme werkt niet", "eid"),
        ("mijn kind inschrijven voor school", "school"),
        ("rendez-vous chez le médecin", "health"),
        ("ik kreeg een rare sms, phishing?", "online_safety"),
    ],
)
def test_topics_from_free_text(body, code):
    assert read(body).topic_code == code


@pytest.mark.parametrize(
    ("body", "number"), [("1", 1), (" 2 ", 2), ("3.", 3), ("nr 2", 2), ("٣", 3), ("\uff12", 2)]
)
def test_numbers(body, number):
    assert read(body).number == number


def test_opt_out_is_exact():
    assert understanding.is_opt_out(" ARRÊT ")
    assert understanding.is_opt_out("stop")
    assert not understanding.is_opt_out("stop please")
    assert not understanding.is_opt_out("stoppen met roken? nee, afspraak")


@settings(deadline=None)  # the first example loads dateparser's and lingua's data
@given(st.text(max_size=400))
def test_reading_never_fails(body):
    message = read(body)
    assert message.number is None or 0 <= message.number <= 999
