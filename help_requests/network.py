"""The network view: every municipality side by side for a completed calendar year, anonymous."""

import datetime

from django.db.models import Count

from help_requests.stats import Period, count_by, help_requests, topic_links_in
from help_requests.suppression import suppress
from helpdesk.models import Municipality, Topic

NETWORK_YEARS = 6


def network_years(today: datetime.date) -> list[int]:
    """The years the network view publishes, newest first: completed calendar years only.

    A year still running changes every day; published live, today's table and tomorrow's would
    differ by one day's help, and a cell going from 0 to hidden (or from 20 to 21) would show a
    count of one or two with the day it happened. A completed year is one table that no longer
    moves. See docs/privacy.md, "Network statistics: the running year"."""
    return list(range(today.year - 1, today.year - 1 - NETWORK_YEARS, -1))


def network(period: Period, k: int) -> dict:
    """Every municipality side by side, anonymous: help requests, per 1,000 inhabitants, and
    municipalities x topics, with counts below k (and what would reveal them) suppressed.
    Callers publish completed years only (network_years)."""
    municipalities = list(Municipality.objects.order_by("name"))
    totals = count_by(help_requests(None, period), "municipality_id")
    topic_counts = {}
    for row in (
        topic_links_in(period)
        .values("municipality_id", "month", "topic_id")
        .annotate(count=Count("*"))
        .order_by()
    ):
        key = (row["municipality_id"], row["topic_id"])
        topic_counts[key] = topic_counts.get(key, 0) + row["count"]
    topic_ids = sorted({topic for _municipality, topic in topic_counts})
    topics = sorted(Topic.objects.filter(pk__in=topic_ids), key=lambda t: (t.sort_order, t.code))
    by_topic = suppress(
        [[topic_counts.get((m.pk, t.pk), 0) for t in topics] for m in municipalities] if topics else [],
        k,
    )
    request_table = suppress([[totals.get(m.pk, 0)] for m in municipalities], k)

    def shown(value, hidden):
        return None if hidden else value

    rows = []
    for index, municipality in enumerate(municipalities):
        count_hidden = request_table.hidden[index][0]
        count = totals.get(municipality.pk, 0)
        rate = (
            round(1000 * count / municipality.population, 2)
            if municipality.population and not count_hidden
            else None
        )
        rows.append(
            {
                "municipality": municipality.name,
                "population": municipality.population,
                "help_requests": shown(count, count_hidden),
                "per_1000": rate,
                "by_topic": [
                    shown(topic_counts.get((municipality.pk, topic.pk), 0), by_topic.hidden[index][column])
                    for column, topic in enumerate(topics)
                ]
                if topics
                else [],
                "topic_total": shown(by_topic.row_totals[index], by_topic.row_total_hidden[index])
                if topics
                else 0,
            }
        )
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "k": k,
        "topics": [{"topic": t.code, "name": t.name} for t in topics],
        "rows": rows,
        "topic_totals": [
            shown(value, hidden)
            for value, hidden in zip(by_topic.column_totals, by_topic.column_total_hidden, strict=True)
        ],
        "total": shown(request_table.total, request_table.total_hidden),
    }
