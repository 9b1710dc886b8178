"""Over the webhook: a sentence about the messages opts out; a "stop" about anything else does not."""

import pytest

from helpdesk.models import Citizen


@pytest.mark.parametrize("body", ["stop sms", "Geen sms meer aub", "arrêtez les sms", "no more texts please"])
def test_a_sentence_about_the_messages_opts_out(body, phone_of):
    phone_of()(body)
    assert Citizen.objects.get().sms_opt_out


@pytest.mark.parametrize("body", ["mijn bankapp stopt steeds", "ik krijg geen sms van mijn bank"])
def test_a_stop_about_something_else_books_help(body, phone_of, helper):
    reply = phone_of()(body)
    assert not Citizen.objects.get().sms_opt_out
    assert reply  # the citizen is answered: the booking starts
