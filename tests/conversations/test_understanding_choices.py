"""Choices: digits, ordinals and number words, with fillers around them, in nl, fr and en."""

import pytest

from conversations.understanding import read


@pytest.mark.parametrize(
    ("body", "choice"),
    [
        # nl
        ("de eerste", 1),
        ("eerste", 1),
        ("nummer 2", 2),
        ("de 2de", 2),
        ("ok 1 is goed", 1),
        ("ja 1", 1),
        ("1 svp", 1),
        ("Twee.", 2),
        ("Nummer drie.", 3),
        ("ik neem de tweede graag", 2),
        ("Eén", 1),
        # fr
        ("le premier", 1),
        ("la deuxième", 2),
        ("la 2eme svp", 2),
        ("numéro trois", 3),
        ("Deux.", 2),
        ("je prends le 1er", 1),
        # en
        ("the first one", 1),
        ("the second one please", 2),
        ("number three", 3),
        ("2nd", 2),
    ],
)
def test_choices(body, choice):
    message = read(body)
    assert message.choice == choice
    assert message.language is None  # a choice never switches the conversation's language


@pytest.mark.parametrize(
    "body",
    [
        "ik wil een afspraak",  # "een" is the article
        "een andere dag",
        "om 10u",  # an hour
        "1 december",  # a day
        "1 of 2",  # two numbers: undecided
        "I want one appointment",
        "je veux un rdv",
        "ik heb 2 vragen over mijn gsm en mijn bank",
        "eerste keer dat ik jullie een sms stuur, kan ik langskomen",
    ],
)
def test_not_a_choice(body):
    assert read(body).choice is None


def test_a_whole_number_is_still_a_number():
    """The dialogue's `number` keeps its meaning: the whole message was a number."""
    assert read("2").number == 2
    assert read("de tweede").number is None
    assert read("1 december").number is None
