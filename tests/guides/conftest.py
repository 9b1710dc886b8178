import pytest

from tests.guides.factories import GuideFactory


@pytest.fixture(autouse=True)
def _clock(frozen_now):
    """Thursday 26 November 2026, 10:00 in Brussels."""
    return frozen_now


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages these tests read are the English source texts (nl and fr are in locale/)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def guide_a(municipality_a):
    """A's published guide, not shared."""
    return GuideFactory(municipality=municipality_a, title="Aangifte in MyMinfin")


@pytest.fixture
def shared_b(municipality_b):
    return GuideFactory(
        municipality=municipality_b, title="itsme installeren", shared=True, topics=["banking"]
    )
