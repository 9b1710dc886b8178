import datetime

import pytest
from django.db import transaction

from helpdesk.models import OutboundEmail, Topic
from volunteers.notify import ASSIGNED, CANCELLED, MOVED, notify_volunteer

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)  # 10:30 in Brussels


@pytest.mark.parametrize(
    ("change", "words"), [(ASSIGNED, "Nieuwe afspraak"), (MOVED, "verplaatst"), (CANCELLED, "geannuleerd")]
)
def test_volunteer_is_mailed_in_their_language_after_commit(
    digibuddy, digipunt_a, django_capture_on_commit_callbacks, change, words, sent_mail
):
    taxes = Topic.objects.get(code="taxes")
    with django_capture_on_commit_callbacks(execute=True):
        notify_volunteer(
            digibuddy, change, start=START, digipunt=digipunt_a, topic=taxes, previous_start=START
        )
    (message,) = sent_mail()
    assert message.to == ["vera@example.org"]
    assert words in message.subject
    assert "10:30" in message.subject
    assert "Belastingen" in message.body
    assert digipunt_a.address in message.body


def test_french_speaking_volunteer_gets_french(
    digibuddy, digipunt_a, django_capture_on_commit_callbacks, sent_mail
):
    digibuddy.languages = ["fr", "nl"]
    digibuddy.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_volunteer(
            digibuddy, ASSIGNED, start=START, digipunt=digipunt_a, topic=Topic.objects.get(code="taxes")
        )
    assert "Impôts" in sent_mail()[0].body


class RolledBack(Exception):
    pass


def test_nothing_is_sent_when_the_change_rolls_back(digibuddy, digipunt_a, sent_mail):
    taxes = Topic.objects.get(code="taxes")

    def notify_then_fail():
        with transaction.atomic():
            notify_volunteer(digibuddy, ASSIGNED, start=START, digipunt=digipunt_a, topic=taxes)
            raise RolledBack

    with pytest.raises(RolledBack):
        notify_then_fail()
    assert not OutboundEmail.objects.exists()
    assert sent_mail() == []
