"""What the dialogue uses of conversations.understanding's `Message`, in one place.

`number` is the option picked, whether by digit or in words ("de eerste", "ok 1 is goed");
`wish` a day or part of the day the citizen would rather have. Read with getattr so that the
dialogue keeps working while the understanding grows fields.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from conversations import understanding

RESCHEDULE = getattr(understanding, "RESCHEDULE", "reschedule")


@dataclass(frozen=True)
class Heard:
    text: str
    number: int | None
    intent: str | None
    language: str | None
    topic_code: str | None
    wish: Any = None  # conversations.understanding.Wish, falsy when none


def hear(body: str, topic_names: dict, now: datetime.datetime) -> Heard:
    try:
        message = understanding.read(body, topic_names, now=now)
    except TypeError:  # a read() without `now`
        message = understanding.read(body, topic_names)
    choice = getattr(message, "choice", None)
    return Heard(
        text=message.text,
        number=choice if choice is not None else message.number,
        intent=message.intent,
        language=message.language,
        topic_code=message.topic_code,
        wish=getattr(message, "wish", None) or None,
    )


def chosen_by_wish(wish, offered: list[datetime.datetime], now) -> int | None:
    """The number of the offered time that fits the wish, or None."""
    choose = getattr(understanding, "choose", None)
    return choose(wish, offered, now) if wish and choose else None


def fits_wish(wish, moment: datetime.datetime, offered: list[datetime.datetime], now) -> bool:
    fits = getattr(understanding, "fits", None)
    return fits(wish, moment, offered, now) if fits else True
