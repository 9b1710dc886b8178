"""The language of a message: greetings, sentences, and the answers that must not switch it."""

import pytest

from conversations.understanding import language_of, read
from conversations.understanding.language import detector


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Bonjour", "fr"),
        ("Salut", "fr"),
        ("bjr", "fr"),
        ("Bonsoir madame", "fr"),
        ("hi", "en"),
        ("Hello", "en"),
        ("Good afternoon", "en"),
        ("Goeiemiddag", "nl"),
        ("Goedemorgen", "nl"),
        ("Hallo", "nl"),
        ("ik wil hulp met mijn gsm", "nl"),
        ("kunde mij helpen", "nl"),
        ("mijne computer doet raar", "nl"),
        ("je voudrais de l'aide", "fr"),
        ("mon ordinateur est très lent", "fr"),
        ("I would like some help", "en"),
        ("my laptop is broken", "en"),
        ("Bonjour, ik wil een afspraak", "nl"),  # the sentence outweighs the greeting
    ],
)
def test_language_of(body, language):
    assert language_of(body) == language
    assert read(body).language == language


@pytest.mark.parametrize(
    "body",
    ["1", "2 ", "ja", "oui", "yes", "ok", "OK!", "merci", "nee", "non", "plus", "MEER", "", "🙂", "gsm"],
)
def test_digits_and_short_answers_never_switch_language(body):
    assert language_of(body) is None
    assert read(body).language is None


def test_the_detector_is_built_once_and_knows_only_three_languages():
    from lingua import Language

    assert detector() is detector()
    # German is not among them: the nearest of the three is named instead.
    guess = detector().detect_language_of("Ich möchte einen Termin für mein Handy")
    assert guess in {Language.DUTCH, Language.FRENCH, Language.ENGLISH}
