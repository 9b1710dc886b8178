"""Reading values from query strings and forms that may hold anything."""


def int_or_none(value) -> int | None:
    """The whole number in `value`, or None for anything else (an id from a URL, say)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
