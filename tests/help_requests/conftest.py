import pytest


@pytest.fixture(autouse=True)
def _clock(frozen_now):
    """Thursday 26 November 2026, 10:00 in Brussels, for every help-request test."""
    return frozen_now


@pytest.fixture
def taxes(db):
    from helpdesk.models import Topic

    return Topic.objects.get(code="taxes")
