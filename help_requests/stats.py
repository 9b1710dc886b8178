"""Statistics of help given and demand, as plain functions over the help-request log.

Every figure is anonymous (counts only) and bucketed in local time: a help request stores its
Europe/Brussels date and hour when it is logged, so months, ISO weeks, weekdays and hours are
plain columns, never a fixed UTC offset. `summary` answers the API and the dashboard alike.
"""

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from appointments.models import Appointment, WaitlistEntry, WalkIn
from help_requests.medians import SecondsBetween, count_sql, counts_by, median_sql, one_row, rows
from help_requests.models import HelpRequest, HelpRequestTopic, Outcome
from help_requests.periods import Period
from helpdesk.models import Digipunt, Topic
from sms.models import InboundMessage

Status = Appointment.Status


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


CUBE = ("month", "digipunt_id", "channel", "outcome", "referred_to")
TOPIC_NAMES = ("code", "name_nl", "name_fr", "name_en")


def _cube(requests) -> list[tuple]:
    """One pass over the period: counts and sums per (digipunt, channel, outcome, month, referral).

    At most a few thousand groups, from which the totals and every breakdown but topics and
    time of day are summed in Python: one scan of the rows instead of one per figure. A row is
    the five CUBE keys, then count, minutes, alone, first, returning, confirmed, overdue, and
    the digipunt's name."""
    today = timezone.localdate()
    return rows(
        requests.values(*CUBE)
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
        .order_by(),
        named=("digipunt_id", Digipunt, ["name"]),
    )


TOTALS = ("count", "minutes", "alone", "first", "returning")


def _breakdowns(cube: list[tuple]) -> dict:
    """The totals and breakdowns of the cube, in one pass over its rows."""
    totals = [0] * len(TOTALS)
    referrals = dict.fromkeys(("total", "confirmed", "overdue"), 0)
    by = {key: {} for key in (*CUBE, "name")}
    by_key = [by[key] for key in CUBE[:4]]
    for row in cube:
        count = row[5]
        for column, value in enumerate(row[5:10]):
            totals[column] += value
        for column, sums in enumerate(by_key):
            sums[row[column]] = sums.get(row[column], 0) + count
        by["name"][row[1]] = row[12]
        if row[3] == Outcome.REFERRED:
            referrals["total"] += count
            referrals["confirmed"] += row[10]
            referrals["overdue"] += row[11]
            by["referred_to"][row[4]] = by["referred_to"].get(row[4], 0) + count
    return {"totals": dict(zip(TOTALS, totals, strict=True)), "referrals": referrals, "by": by}


def _time_of_day(times: list[tuple]) -> tuple[list[dict], list[dict]]:
    """The ISO weeks and the weekday x hour heatmap from (week, weekday, hour, count) rows."""
    weeks, cells = {}, {}
    for week, weekday, hour, count in times:  # the loops inline: a few thousand rows per call
        weeks[week] = weeks.get(week, 0) + count
        if hour is not None:
            cells[weekday, hour] = cells.get((weekday, hour), 0) + count
    by_week = [
        {"week": f"{week // 100}-W{week % 100:02d}", "count": count} for week, count in sorted(weeks.items())
    ]
    heatmap = [
        {"weekday": weekday, "hour": hour, "count": count} for (weekday, hour), count in sorted(cells.items())
    ]
    return by_week, heatmap


def summary(municipality_ids: list[int] | None, period: Period, digipunt_id: int | None = None) -> dict:
    """All figures for the municipalities (None: all) and period, optionally one digipunt.

    Five statements: the figures cube (with the digipunten's names), topics (with theirs), time
    of day, appointments and walk-ins by status, and one row with every single value (the
    previous period's total, the medians, the unmet demand counts)."""
    sums = _breakdowns(_cube(help_requests(municipality_ids, period, digipunt_id)))
    totals, referrals, by = sums["totals"], sums["referrals"], sums["by"]
    total = totals["count"]
    topic_links = _scope(
        topic_links_in(period), municipality_ids, digipunt_id, digipunt_field="help_request__digipunt_id"
    )
    by_topic_id, topics = {}, {}
    for _month, topic_id, count, *names in rows(
        topic_links.values("month", "topic_id").annotate(count=Count("*")),
        named=("topic_id", Topic, TOPIC_NAMES),
    ):
        by_topic_id[topic_id] = by_topic_id.get(topic_id, 0) + count
        if topic_id not in topics:  # a row per month: one Topic each, for its name in the language
            topics[topic_id] = Topic(pk=topic_id, **dict(zip(TOPIC_NAMES, names, strict=True)))
    by_week, heatmap = _time_of_day(
        rows(
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
    )
    appointments = _appointments(municipality_ids, period, digipunt_id)
    tickets = _walk_ins(municipality_ids, period, digipunt_id)
    sms, waitlist = _unmet_sources(municipality_ids, period, digipunt_id)
    single = one_row(
        HelpRequest.objects.db,
        previous_total=count_sql(help_requests(municipality_ids, period.previous(), digipunt_id)),
        lead_seconds=_lead_time(appointments),
        wait_seconds=_wait(tickets),
        waitlisted=count_sql(waitlist),
        **({} if sms is None else {"sms_without_slot": count_sql(sms)}),
    )
    by_status = counts_by(
        HelpRequest.objects.db, appointments=(appointments, "status"), walk_ins=(tickets, "status")
    )
    walk_ins = _walk_in_figures(by_status["walk_ins"], single["wait_seconds"])
    unmet = {
        "sms_without_slot": single.get("sms_without_slot", 0),
        "waitlisted": single["waitlisted"],
        "walk_ins_left": walk_ins["left"],
    }
    previous_total = single["previous_total"]
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "total": total,
        "help_hours": round(totals["minutes"] / 60, 1),
        "self_reliance_share": share(totals["alone"], total),
        "first_visits": totals["first"],
        "returning_visits": totals["returning"],
        "by_topic": sorted(
            (
                {"topic": topics[pk].code, "name": topics[pk].name, "count": n}
                for pk, n in by_topic_id.items()
            ),
            key=lambda row: (-row["count"], row["topic"]),
        ),
        "by_channel": _ranked(by["channel"], "channel"),
        "by_outcome": _ranked(by["outcome"], "outcome"),
        "by_digipunt": sorted(
            ({"digipunt": pk, "name": by["name"][pk], "count": n} for pk, n in by["digipunt_id"].items()),
            key=lambda row: (-row["count"], row["name"]),
        ),
        "by_month": [
            {"month": str(month)[:7], "count": count} for month, count in sorted(by["month"].items())
        ],
        "by_week": by_week,
        "heatmap": heatmap,
        "referrals": {
            **referrals,
            "open": referrals["total"] - referrals["confirmed"],
            "by_referred_to": _ranked(by["referred_to"], "referred_to"),
        },
        "appointments": _appointment_figures(by_status["appointments"], single["lead_seconds"]),
        "walk_ins": walk_ins,
        "unmet_demand_detail": unmet,
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


def _appointments(municipality_ids, period: Period, digipunt_id):
    start, end = period.moments()
    return _scope(
        Appointment.objects.filter(start__gte=start, start__lt=end),
        municipality_ids,
        digipunt_id,
        municipality_field="digipunt__municipality_id",
    )


def _lead_time(appointments):
    return median_sql(
        appointments.exclude(status=Status.CANCELLED), SecondsBetween(F("start"), F("created_at"))
    )


def _appointment_figures(counts: dict, lead_seconds: float | None) -> dict:
    due = counts.get(Status.COMPLETED, 0) + counts.get(Status.NO_SHOW, 0)
    return {
        "booked": sum(counts.values()),
        "completed": counts.get(Status.COMPLETED, 0),
        "no_show": counts.get(Status.NO_SHOW, 0),
        "cancelled": counts.get(Status.CANCELLED, 0),
        "no_show_rate": share(counts.get(Status.NO_SHOW, 0), due),
        "median_lead_time_hours": None if lead_seconds is None else round(lead_seconds / 3600, 1),
    }


def appointment_figures(municipality_ids, period: Period, digipunt_id=None) -> dict:
    appointments = _appointments(municipality_ids, period, digipunt_id)
    return _appointment_figures(
        count_by(appointments, "status"), one_row(appointments.db, lead=_lead_time(appointments))["lead"]
    )


def _walk_ins(municipality_ids, period: Period, digipunt_id):
    return _scope(
        WalkIn.objects.filter(day__range=(period.first, period.last)),
        municipality_ids,
        digipunt_id,
        municipality_field="digipunt__municipality_id",
    )


def _wait(tickets):
    return median_sql(
        tickets.filter(called_at__isnull=False), SecondsBetween(F("called_at"), F("arrived_at"))
    )


def _walk_in_figures(counts: dict, wait_seconds: float | None) -> dict:
    return {
        "arrived": sum(counts.values()),
        "served": counts.get(WalkIn.Status.SERVED, 0),
        "left": counts.get(WalkIn.Status.LEFT, 0),
        "median_wait_minutes": None if wait_seconds is None else round(wait_seconds / 60, 1),
    }


def walk_in_figures(municipality_ids, period: Period, digipunt_id=None) -> dict:
    tickets = _walk_ins(municipality_ids, period, digipunt_id)
    return _walk_in_figures(count_by(tickets, "status"), one_row(tickets.db, wait=_wait(tickets))["wait"])


def _unmet_sources(municipality_ids, period: Period, digipunt_id):
    """The SMS conversations that found no time (None for one digipunt: an SMS names none) and
    the people put on the waitlist."""
    start, end = period.moments()
    sms = None
    if digipunt_id is None:
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
    return sms, waitlist


def unmet_demand(municipality_ids, period: Period, digipunt_id=None) -> dict:
    """Demand nobody could meet: SMS conversations that found no time, people put on the
    waitlist, walk-ins who left without help."""
    sms, waitlist = _unmet_sources(municipality_ids, period, digipunt_id)
    left = _walk_ins(municipality_ids, period, digipunt_id).filter(status=WalkIn.Status.LEFT)
    single = one_row(
        waitlist.db,
        waitlisted=count_sql(waitlist),
        walk_ins_left=count_sql(left),
        **({} if sms is None else {"sms_without_slot": count_sql(sms)}),
    )
    return {
        "sms_without_slot": single.get("sms_without_slot", 0),
        "waitlisted": single["waitlisted"],
        "walk_ins_left": single["walk_ins_left"],
    }
