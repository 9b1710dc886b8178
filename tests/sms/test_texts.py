"""Every SMS text in every language, with the longest realistic values: GSM-7, at most 2 segments."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from conversations.labels import short_topic_name
from helpdesk.models import Topic
from sms import gsm
from sms.texts import TEXTS, render

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# Wednesday has the longest day name in Dutch (woensdag) and French (mercredi) too.
LATE = datetime.datetime(2026, 12, 30, 16, 45, tzinfo=BRUSSELS)
LONG_PLACE = "Dienstencentrum Sint-Amandsberg"  # 31 characters
LONG_ADDRESS = "Grote Steenweg-Noord 123, 9052 Zwijnaarde"
PHONE = "09 266 70 00"


def longest(values):
    return max(values, key=len)


@pytest.fixture
def values(db):
    topics = list(Topic.objects.all())

    def for_language(language):
        labels = sorted((short_topic_name(t, language) for t in topics), key=len, reverse=True)
        return {
            "topics": labels[:8],
            "places": [LONG_PLACE, "Bibliotheek Sint-Denijs-Westrem", "Sociaal Huis Oostakker"],
            "topic": labels[0],
            "slots": [(LATE, "Dienstencentrum Sint-Amandsb.")] * 3,
            "more": True,
            "count": 8,
            "start": LATE,
            "place": LONG_PLACE,
            "address": LONG_ADDRESS,
            "bring": longest(t.what_to_bring_in(language) for t in topics),
            "code": "K7P2QW",
            "phone": PHONE,
            "until": "17:00",
            "opens": "09:00",
            "closes": "17:00",
            "municipality": "Sint-Martens-Latem",
        }

    return for_language


def arguments(name, available):
    import inspect

    return {key: available[key] for key in inspect.signature(TEXTS[name]).parameters}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_text_fits_two_gsm7_segments(name, language, values):
    text = render(name, language, **arguments(name, values(language)))
    assert gsm.is_gsm(text)
    assert gsm.segments(text) <= 2, f"{name} [{language}] takes {gsm.segments(text)} segments: {text}"


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_translations_need_no_folding(name, language, values):
    """The translated sentence itself is GSM-7 (no ê, ç, curly quotes): only names get folded."""
    plain = dict(values(language))
    plain.update(
        topics=["x"] * 3,
        topic="x",
        places=["x"],
        place="x",
        bring="x",
        address="x",
        slots=[(LATE, "x")],
        municipality="x",
    )
    with translation.override(language):
        raw = TEXTS[name](**arguments(name, plain))
    assert gsm.is_gsm(raw), raw


def test_report_how_many_fit_in_one_segment(values, capsys):
    """Run with -s to see the figure the issue asks for."""
    counts = {1: 0, 2: 0}
    for language in ("nl", "fr", "en"):
        for name in TEXTS:
            counts[gsm.segments(render(name, language, **arguments(name, values(language))))] += 1
    with capsys.disabled():
        print(f"\nSMS texts x languages: {counts[1]} fit in 1 segment, {counts[2]} take 2 (longest values)")
    assert counts[1] + counts[2] == 3 * len(TEXTS)


class TestSegments:
    def test_gsm7_single_and_concatenated(self):
        assert gsm.segments("a" * 160) == 1
        assert gsm.segments("a" * 161) == 2
        assert gsm.segments("a" * 306) == 2
        assert gsm.segments("a" * 307) == 3

    def test_extension_characters_count_double(self):
        assert gsm.segments("€" * 80) == 1
        assert gsm.segments("€" * 81) == 2

    def test_one_unicode_character_switches_to_70(self):
        assert gsm.segments("ê" + "a" * 69) == 1
        assert gsm.segments("ê" + "a" * 70) == 2

    def test_fold(self):
        assert gsm.fold("Impôts, reçu, Noël, naïf, l\u2019été") == "Impots, recu, Noel, naif, l'été"
        assert gsm.is_gsm(gsm.fold("مرحبا 🙂"))
