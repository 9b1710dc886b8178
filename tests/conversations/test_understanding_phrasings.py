"""The table of real-world phrasings (phrasings.txt): at least 95% must be understood as stated."""

import datetime
import pathlib

import pytest

from conversations.understanding import read
from tests.conftest import FROZEN_NOW

TABLE = pathlib.Path(__file__).with_name("phrasings.txt")
FLAGS = ("later", "earlier", "other_day", "next_week")


def _rows():
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, expected = line.split(" || ")
            yield text, expected.split()


ROWS = list(_rows())


def _misses(text: str, expected: list[str]) -> list[str]:
    """What of `expected` the reading of `text` gets wrong (empty: understood)."""
    message = read(text, now=FROZEN_NOW)
    wish = message.wish
    wrong = []
    for item in expected:
        key, _, value = item.partition("=")
        if key in FLAGS:
            got, want = bool(wish and getattr(wish, key)), True
        elif key == "wish":
            got, want = wish, None
        elif key in ("day", "part", "hour", "minute"):
            got = getattr(wish, key) if wish else None
            want = datetime.date.fromisoformat(value) if key == "day" else value
            want = int(value) if key in ("hour", "minute") else want
        else:
            got = getattr(message, {"lang": "language", "topic": "topic_code"}.get(key, key))
            want = None if value == "-" else int(value) if key == "choice" else value
        if got != want:
            wrong.append(f"{key}: {got!r} (wanted {want!r})")
    return wrong


def test_the_table_is_large_enough():
    assert len(ROWS) >= 150


def test_at_least_95_percent_of_real_phrasings_are_understood(capsys):
    misses = {text: wrong for text, expected in ROWS if (wrong := _misses(text, expected))}
    share = 1 - len(misses) / len(ROWS)
    with capsys.disabled():
        print(f"\nunderstood {len(ROWS) - len(misses)}/{len(ROWS)} = {share:.1%}")
        for text, wrong in misses.items():
            print(f"  missed {text!r}: {'; '.join(wrong)}")
    assert share >= 0.95


@pytest.mark.parametrize("text", ["dinsdag", "ja", "stop sms", "de eerste"])
def test_the_table_checker_can_fail(text):
    """A checker that accepts anything would prove nothing."""
    assert _misses(text, ["intent=book", "choice=7"])
