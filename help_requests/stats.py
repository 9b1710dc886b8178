"""Statistics of help given and demand, as plain functions over the help-request log.

Every figure is anonymous (counts only) and bucketed in local time: a help request stores its
Europe/Brussels date and hour when it is logged, so months, ISO weeks, weekdays and hours are
plain columns, never a fixed UTC offset. `summary` answers the API and the dashboard alike.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Appointment, WaitlistEntry, WalkIn
from help_requests.medians import SecondsBetween, median
from help_requests.models import HelpRequest, HelpRequestTopic, Outcome
from helpdesk.models import Digipunt, Topic
from sms.models import InboundMessage

Status = Appointment.Status


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


def _scope(
    queryset,
    municipality_ids,
    digipunt_id,
    municipality_field="municipality_id",
    digipunt_field="digipunt_id",
):
    if municipality_ids is not None:
        if len(municipality_ids) == 1:  # an equality lets the database read the index in order
            queryset = queryset.filter(**{municipality_field: municipality_ids[0]})
        else:
            queryset = queryset.filter(**{f"{municipality_field}__in": municipality_ids})
    if digipunt_id is not None:
        queryset = queryset.filter(**{digipunt_field: digipunt_id})
    return queryset


def help_requests(municipality_ids, period: Period, digipunt_id=None):
    # The month range is implied by the dates; saying it lets the covering index be read in order.
    months = (period.first.replace(day=1), period.last.replace(day=1))
    return _scope(
        HelpRequest.objects.filter(month__range=months, date__range=(period.first, period.last)),
        municipality_ids,
        digipunt_id,
    )


def topic_links_in(period: Period):
    months = (period.first.replace(day=1), period.last.replace(day=1))
    return HelpRequestTopic.objects.filter(month__range=months, date__range=(period.first, period.last))


def _weeks(period: Period) -> tuple[int, int]:
    first, last = period.first.isocalendar(), period.last.isocalendar()
    return first[0] * 100 + first[1], last[0] * 100 + last[1]


def count_by(queryset, field):
    return {row[field]: row["count"] for row in queryset.values(field).annotate(count=Count("*")).order_by()}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _cube(requests) -> list[dict]:
    """One pass over the period: counts and sums per (digipunt, channel, outcome, month, referral).

    At most a few thousand groups, from which the totals and every breakdown but topics and
    time of day are summed in Python: one scan of the rows instead of one per figure."""
    today = timezone.localdate()
    return list(
        requests.values("month", "digipunt_id", "channel", "outcome", "referred_to")
        .annotate(
            count=Count("*"),
            minutes=Sum("duration_minutes"),
            # Counted over indexed columns (not the id), so PostgreSQL answers from the index alone.
            alone=Count("self_reliant", filter=Q(self_reliant=True)),
            first=Count("first_visit", filter=Q(first_visit=True)),
            returning=Count("first_visit", filter=Q(first_visit=False)),
            confirmed=Count("referral_confirmed_at"),
            overdue=Count(
                "follow_up_on", filter=Q(referral_confirmed_at__isnull=True, follow_up_on__lt=today)
            ),
        )
        .order_by()
    )


def _sum_by(cube: list[dict], key: str, value: str = "count") -> dict:
    sums = {}
    for row in cube:
        sums[row[key]] = sums.get(row[key], 0) + row[value]
    return sums


def summary(municipality_ids: list[int] | None, period: Period, digipunt_id: int | None = None) -> dict:
    """All figures for the municipalities (None: all) and period, optionally one digipunt."""
    requests = help_requests(municipality_ids, period, digipunt_id)
    cube = _cube(requests)
    total = sum(row["count"] for row in cube)

    def total_of(value):
        return sum(row[value] for row in cube)

    topic_links = _scope(
        topic_links_in(period), municipality_ids, digipunt_id, digipunt_field="help_request__digipunt_id"
    )
    by_topic_id = _sum_by(
        list(topic_links.values("month", "topic_id").annotate(count=Count("*")).order_by()), "topic_id"
    )
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=by_topic_id)}
    by_digipunt_id = _sum_by(cube, "digipunt_id")
    places = {d.pk: d for d in Digipunt.objects.filter(pk__in=by_digipunt_id)}
    times = list(
        _scope(
            HelpRequest.objects.filter(
                iso_week__range=_weeks(period), date__range=(period.first, period.last)
            ),
            municipality_ids,
            digipunt_id,
        )
        .values("iso_week", "weekday", "hour")
        .annotate(count=Count("*"))
        .order_by()
    )
    by_week = [
        {"week": f"{week // 100}-W{week % 100:02d}", "count": count}
        for week, count in sorted(_sum_by(times, "iso_week").items())
    ]
    heatmap = [
        {"weekday": weekday, "hour": hour, "count": count}
        for (weekday, hour), count in sorted(
            _sum_by(
                [{**row, "cell": (row["weekday"], row["hour"])} for row in times if row["hour"] is not None],
                "cell",
            ).items()
        )
    ]
    referred = [row for row in cube if row["outcome"] == Outcome.REFERRED]
    referral_total = sum(row["count"] for row in referred)
    confirmed = sum(row["confirmed"] for row in referred)
    previous_total = help_requests(municipality_ids, period.previous(), digipunt_id).count()
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "total": total,
        "help_hours": round(total_of("minutes") / 60, 1),
        "self_reliance_share": share(total_of("alone"), total),
        "first_visits": total_of("first"),
        "returning_visits": total_of("returning"),
        "by_topic": sorted(
            (
                {"topic": topics[pk].code, "name": topics[pk].name, "count": n}
                for pk, n in by_topic_id.items()
            ),
            key=lambda row: (-row["count"], row["topic"]),
        ),
        "by_channel": _ranked(_sum_by(cube, "channel"), "channel"),
        "by_outcome": _ranked(_sum_by(cube, "outcome"), "outcome"),
        "by_digipunt": sorted(
            ({"digipunt": pk, "name": places[pk].name, "count": n} for pk, n in by_digipunt_id.items()),
            key=lambda row: (-row["count"], row["name"]),
        ),
        "by_month": [
            {"month": month.strftime("%Y-%m"), "count": count}
            for month, count in sorted(_sum_by(cube, "month").items())
        ],
        "by_week": by_week,
        "heatmap": heatmap,
        "referrals": {
            "total": referral_total,
            "confirmed": confirmed,
            "overdue": sum(row["overdue"] for row in referred),
            "open": referral_total - confirmed,
            "by_referred_to": _ranked(_sum_by(referred, "referred_to"), "referred_to"),
        },
        "appointments": appointment_figures(municipality_ids, period, digipunt_id),
        "walk_ins": walk_in_figures(municipality_ids, period, digipunt_id),
        "unmet_demand_detail": (unmet := unmet_demand(municipality_ids, period, digipunt_id)),
        "unmet_demand": sum(unmet.values()),
        "previous_period": {
            "from": period.previous().first.isoformat(),
            "to": period.previous().last.isoformat(),
            "total": previous_total,
            "change": share(total - previous_total, previous_total),
        },
    }


def _ranked(counts: dict, name: str) -> list[dict]:
    return sorted(
        ({name: key, "count": n} for key, n in counts.items()), key=lambda row: (-row["count"], row[name])
    )


def appointment_figures(municipality_ids, period: Period, digipunt_id=None) -> dict:
    start, end = period.moments()
    appointments = _scope(
        Appointment.objects.filter(start__gte=start, start__lt=end),
        municipality_ids,
        digipunt_id,
        municipality_field="digipunt__municipality_id",
    )
    counts = count_by(appointments, "status")
    due = counts.get(Status.COMPLETED, 0) + counts.get(Status.NO_SHOW, 0)
    lead_seconds = median(
        appointments.exclude(status=Status.CANCELLED), SecondsBetween(F("start"), F("created_at"))
    )
    return {
        "booked": sum(counts.values()),
        "completed": counts.get(Status.COMPLETED, 0),
        "no_show": counts.get(Status.NO_SHOW, 0),
        "cancelled": counts.get(Status.CANCELLED, 0),
        "no_show_rate": share(counts.get(Status.NO_SHOW, 0), due),
        "median_lead_time_hours": None if lead_seconds is None else round(lead_seconds / 3600, 1),
    }


def walk_in_figures(municipality_ids, period: Period, digipunt_id=None) -> dict:
    tickets = _scope(
        WalkIn.objects.filter(day__range=(period.first, period.last)),
        municipality_ids,
        digipunt_id,
        municipality_field="digipunt__municipality_id",
    )
    counts = count_by(tickets, "status")
    wait_seconds = median(
        tickets.filter(called_at__isnull=False), SecondsBetween(F("called_at"), F("arrived_at"))
    )
    return {
        "arrived": sum(counts.values()),
        "served": counts.get(WalkIn.Status.SERVED, 0),
        "left": counts.get(WalkIn.Status.LEFT, 0),
        "median_wait_minutes": None if wait_seconds is None else round(wait_seconds / 60, 1),
    }


def unmet_demand(municipality_ids, period: Period, digipunt_id=None) -> dict:
    """Demand nobody could meet: SMS conversations that found no time, people put on the
    waitlist, walk-ins who left without help."""
    start, end = period.moments()
    sms = InboundMessage.objects.filter(
        event=InboundMessage.Event.NO_SLOT, received_at__gte=start, received_at__lt=end
    )
    if municipality_ids is not None:
        sms = sms.filter(municipality_id__in=municipality_ids)
    waitlist = _scope(
        WaitlistEntry.objects.filter(created_at__gte=start, created_at__lt=end), municipality_ids, None
    )
    if digipunt_id is not None:
        waitlist = waitlist.filter(Q(digipunt_id=digipunt_id) | Q(digipunt__isnull=True))
    left = _scope(
        WalkIn.objects.filter(day__range=(period.first, period.last), status=WalkIn.Status.LEFT),
        municipality_ids,
        digipunt_id,
        municipality_field="digipunt__municipality_id",
    )
    return {
        "sms_without_slot": sms.count() if digipunt_id is None else 0,
        "waitlisted": waitlist.count(),
        "walk_ins_left": left.count(),
    }
