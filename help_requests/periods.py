"""The periods statistics are asked for: a year to a day, at most five years, in local time."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_DAYS = 5 * 366


def year_ending(last: datetime.date) -> datetime.date:
    """The first day of the year that ends on `last` (29 February counts as 28 February)."""
    try:
        before = last.replace(year=last.year - 1)
    except ValueError:
        before = last.replace(year=last.year - 1, day=28)
    return before + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date  # inclusive

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(year_ending(today), today)

    @classmethod
    def ending(cls, first: datetime.date | None, last: datetime.date | None) -> "Period":
        """From `first` (default: a year before `last`) to `last` (default: today)."""
        last = last or timezone.localdate()
        return cls(first or year_ending(last), last)

    def problems(self) -> dict[str, str]:
        """What is wrong with a period someone asked for (field → message); the API and the
        dashboard refuse the same periods with the same words."""
        if self.first > self.last:
            return {"from": _("'From' must not be after 'to'.")}
        if self.days > MAX_DAYS:
            return {"to": _("Ask for at most five years at once.")}
        return {}

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        last = self.first - datetime.timedelta(days=1)
        return Period(last - datetime.timedelta(days=self.days - 1), last)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as [start, end) in local time, for timestamp columns."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(
            self.last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, end
