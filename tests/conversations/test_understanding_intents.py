"""Stop, call me, cancel and reschedule said in a sentence; and "stop" that means something else."""

import pytest

from conversations import understanding
from conversations.understanding import CALLBACK, CANCEL, RESCHEDULE, STOP, YES, read


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("STOP", None),
        ("stop sms", None),
        ("Stop de sms'en aub", None),
        ("geen sms meer", "nl"),
        ("ik wil geen sms meer ontvangen", "nl"),
        ("stuur mij geen berichten meer", "nl"),
        ("arrêtez les sms svp", "fr"),
        ("plus de sms", "fr"),
        ("je ne veux plus recevoir de messages", "fr"),
        ("no more texts please", "en"),
        ("stop sending me messages", "en"),
        ("please unsubscribe", "en"),
    ],
)
def test_opt_out_in_a_sentence(body, language):
    assert understanding.is_opt_out(body)
    assert read(body).intent == STOP
    if language:
        assert understanding.opt_out_language(body) == language


@pytest.mark.parametrize(
    "body",
    [
        "mijn bankapp stopt steeds",
        "stop please",
        "stoppen met roken? nee, afspraak",
        "ik krijg geen sms van mijn bank",  # a problem to help with, not an opt-out
        "stuur mij een sms als het klaar is",
        "je ne reçois plus de sms de ma banque",
        "my phone stopped working",
        "mon ordinateur s'arrête tout le temps",
        "mijn kind uitschrijven van school",
        "how do I unsubscribe from a newsletter in my mail",
    ],
)
def test_stop_that_means_something_else_is_no_opt_out(body):
    assert not understanding.is_opt_out(body)
    assert read(body).intent != STOP


@pytest.mark.parametrize(
    "body",
    [
        "gelieve mij te bellen aub",
        "kunde mij bellen",
        "kunt ge mij terugbellen",
        "pouvez-vous m'appeler svp",
        "rappelez moi",
        "can someone call me back plz",
        "give me a call",
    ],
)
def test_call_me_in_a_sentence(body):
    assert read(body).intent == CALLBACK


@pytest.mark.parametrize(
    "body",
    [
        "ik zeg mijn afspraak af",
        "ik ga niet kunnen komen",
        "je dois annuler mon rdv",
        "je ne viendrai pas",
        "please cancel my appointment",
        "I won't come",
    ],
)
def test_cancel_in_a_sentence(body):
    assert read(body).intent == CANCEL


@pytest.mark.parametrize(
    "body",
    [
        "verzetten",
        "kan ik mijn afspraak verzetten",
        "ik wil verplaatsen",
        "verzet naar dinsdag aub",
        "kan ik mijn afspraak later zetten",
        "een andere dag",
        "déplacer",
        "je voudrais déplacer mon rdv",
        "on peut reporter?",
        "un autre jour svp",
        "reschedule",
        "can I reschedule",
        "can we do another day",
        "ik kan niet komen, kan ik verzetten?",  # wants another time, not only to cancel
    ],
)
def test_reschedule(body):
    message = read(body)
    assert message.intent == RESCHEDULE
    assert message.reschedule


@pytest.mark.parametrize("body", ["ik kan niet komen", "annuler", "afspraak", "dinsdag"])
def test_not_reschedule(body):
    assert not read(body).reschedule


@pytest.mark.parametrize("body", ["afsprak", "afpsraak", "anuleer", "verzeten", "reschedual", "terugbelen"])
def test_typos_are_forgiven(body):
    assert read(body).intent is not None


@pytest.mark.parametrize("body", ["da's goe", "is goed", "in orde", "d'accord", "ça marche", "yep"])
def test_yes_in_other_words(body):
    assert read(body).intent == YES
