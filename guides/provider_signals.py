"""Signals for service providers: per topic, how often help ended `not_solved` or `referred`, so
that a coordinator can report recurring problems with an e-government service to its provider.

Anonymous like the other exports: no note, no citizen, no helper, no day (the month only)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from help_requests.models import HelpRequestTopic, Outcome
from help_requests.stats import Period, share
from helpdesk.models import Topic

SIGNAL_OUTCOMES = (Outcome.NOT_SOLVED, Outcome.REFERRED)


def _links(municipality_ids, period: Period):
    links = HelpRequestTopic.objects.filter(date__range=(period.first, period.last))
    if municipality_ids is not None:
        links = links.filter(municipality_id__in=municipality_ids)
    return links


def by_topic(municipality_ids: list[int] | None, period: Period) -> list[dict]:
    """[{topic, total, not_solved, referred, share}] for topics with a not-solved or referred help,
    most problems first."""
    rows = (
        _links(municipality_ids, period)
        .values("topic_id")
        .annotate(
            total=Count("pk"),
            not_solved=Count("pk", filter=Q(help_request__outcome=Outcome.NOT_SOLVED)),
            referred=Count("pk", filter=Q(help_request__outcome=Outcome.REFERRED)),
        )
        .order_by()
    )
    topics = Topic.objects.in_bulk([row["topic_id"] for row in rows])
    result = []
    for row in rows:
        problems = row["not_solved"] + row["referred"]
        if problems:
            result.append({**row, "topic": topics[row["topic_id"]], "share": share(problems, row["total"])})
    return sorted(result, key=lambda row: (-(row["not_solved"] + row["referred"]), row["topic"].code))


def export_header() -> list[str]:
    return [_("month"), _("topic"), _("outcome"), _("referred to"), _("channel")]


def export_rows(municipality_ids: list[int] | None, period: Period):
    rows = (
        _links(municipality_ids, period)
        .filter(help_request__outcome__in=SIGNAL_OUTCOMES)
        .order_by("month", "topic__code", "pk")
        .values_list(
            "month",
            "topic__code",
            "help_request__outcome",
            "help_request__referred_to",
            "help_request__channel",
        )
        .iterator(chunk_size=2000)
    )
    for month, topic, outcome, referred_to, channel in rows:
        yield [month.strftime("%Y-%m"), topic, outcome, referred_to, channel]
