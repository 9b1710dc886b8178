"""Which dates are sensible input: one rule for every date a person types or a client sends.

Nothing this service records or plans lies before 2000 or after 2100. A date outside that is a
typo or a probe, and near the ends of Python's calendar (year 1, year 9999) the arithmetic that
follows (the next day, the week around it) overflows. Filters and writes refuse such dates with
the same message: model fields, forms and serializers through `validate_sensible_date`, query
strings through `from_query`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)

OUT_OF_RANGE = _("Give a date between 2000 and 2100.")
UNREADABLE = _("Give a date as YYYY-MM-DD.")


class DateInput(forms.DateInput):
    """`<input type="date">` with its value in ISO (2026-12-01) whatever the language: the browser
    drops any other notation (01/12/2026) and the field then arrives empty. Every date field of a
    form uses this widget (tests/helpdesk/test_date_inputs.py checks it)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def is_sensible(day: datetime.date) -> bool:
    """True for a date (or the date of a datetime) from EARLIEST to LATEST."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def validate_sensible_date(value) -> None:
    """A validator for model fields, form fields and DRF fields (all three take Django's)."""
    if value is not None and not is_sensible(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def from_query(text: str | None) -> datetime.date | None:
    """The date in a query string value: None when it is absent or empty, ValidationError (with
    the message to show) when it is unreadable or not sensible."""
    if text is None or text == "":
        return None
    try:
        day = parse_date(text)
    except ValueError:  # well-formed but not a day, such as 2026-02-30
        day = None
    if day is None:
        raise ValidationError(UNREADABLE, code="invalid")
    validate_sensible_date(day)
    return day
