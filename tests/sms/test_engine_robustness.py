"""The SMS engine answers any sequence of messages without breaking its state (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.models import Conversation
from helpdesk.models import Citizen
from sms import conversation


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bodies=st.lists(
        st.one_of(st.text(max_size=200), st.sampled_from(["1", "2", "9", "MEER", "AFSPRAAK", "ja"])),
        min_size=1,
        max_size=6,
    )
)
def test_the_engine_answers_anything_without_breaking_its_state(
    bodies, municipality_a, helper, django_db_blocker
):
    citizen, _ = Citizen.objects.get_or_create(municipality=municipality_a, phone="+32479123456")
    from django.db import transaction
    from django.utils import timezone

    for body in bodies:
        with transaction.atomic():
            reply = conversation.handle(citizen, body, now=timezone.now())
        assert isinstance(reply.text, str)
        state = Citizen.objects.get(pk=citizen.pk).conversation.state
        assert state in Conversation.State.values
