"""Guides: writing, reviewing, copying, finding, and what sessions say about them.

Views, the API and seed_demo call these functions; validation lives here so every channel refuses
the same things with the same messages.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from guides import images, rendering
from guides.models import Guide, GuideFeedback, GuideUse

EDITABLE_FIELDS = ("title", "language", "body_markdown", "what_to_bring", "status", "shared")
Q_MAX = 100


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def review_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Guides last reviewed on or before this day are due for a review."""
    return months_before(today or timezone.localdate(), settings.GUIDE_REVIEW_MONTHS)


def review_due(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return queryset.exclude(status=Guide.Status.DRAFT).filter(
        Q(reviewed_on__isnull=True) | Q(reviewed_on__lte=review_cutoff(today))
    )


def is_review_due(guide: Guide, today: datetime.date | None = None) -> bool:
    return guide.status != Guide.Status.DRAFT and (
        guide.reviewed_on is None or guide.reviewed_on <= review_cutoff(today)
    )


def search(queryset: QuerySet, *, q: str = "", topic=None, language: str = "") -> QuerySet:
    """Title or text containing every word of `q`, of a topic, in a language. A plain
    case-insensitive match: fast enough for a network's few thousand guides."""
    for word in q.split()[:8]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(body_markdown__icontains=word))
    if topic is not None:
        queryset = queryset.filter(topics=topic)
    if language:
        queryset = queryset.filter(language=language)
    return queryset.distinct()


# Guides linked from one appointment row: a few good ones, not the whole network's.
PER_APPOINTMENT = 3


def for_appointments(visible: QuerySet, pairs) -> dict[tuple[int, str], list[Guide]]:
    """Published guides per (topic id, citizen's language), in one query. A citizen who speaks a
    language no guide is written in gets the topic's guides in the other languages."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (
        visible.filter(status=Guide.Status.PUBLISHED, topics__in={topic_id for topic_id, _lang in pairs})
        .annotate(topic_id=F("topics"))
        # Unshared first: those are the reader's own municipality's. Shared ones of the whole
        # network follow, and the list per appointment is cut at PER_APPOINTMENT.
        .order_by("shared", "title", "pk")
        .only("pk", "title", "language", "shared")
    )
    by_topic: dict[int, list[Guide]] = {}
    for guide in rows:
        by_topic.setdefault(guide.topic_id, []).append(guide)
    found = {}
    for topic_id, language in pairs:
        guides = by_topic.get(topic_id, [])
        found[(topic_id, language)] = ([g for g in guides if g.language == language] or guides)[
            :PER_APPOINTMENT
        ]
    return found


def _check(guide: Guide, topics) -> None:
    errors = {}
    try:
        guide.full_clean(exclude=["municipality", "created_by", "reviewed_by", "copied_from"])
    except ValidationError as error:
        errors.update(error.message_dict)
    body_problems = rendering.problems(guide.body_markdown)
    if body_problems:
        errors.setdefault("body_markdown", []).extend(body_problems)
    if not guide.title.strip():
        errors.setdefault("title", []).append(_("Give the guide a title."))
    if topics is not None and not topics:
        errors["topics"] = [_("Choose at least one topic.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create(*, municipality, topics, by=None, today: datetime.date | None = None, **fields) -> Guide:
    """A new guide of `municipality`. Writing a guide counts as reviewing it."""
    guide = Guide(
        municipality=municipality, created_by=by, **{k: fields[k] for k in fields if k in EDITABLE_FIELDS}
    )
    topics = list(topics)
    _check(guide, topics)
    guide.reviewed_on = today or timezone.localdate()
    guide.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    guide.save()
    guide.topics.set(topics)
    return guide


@transaction.atomic
def update(guide: Guide, *, topics=None, **fields) -> Guide:
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(guide, name, value)
    topics = list(topics) if topics is not None else None
    _check(guide, topics)
    guide.save()
    if topics is not None:
        guide.topics.set(topics)
    return guide


def mark_reviewed(guide: Guide, *, by, today: datetime.date | None = None) -> Guide:
    """Someone checked the guide against the current website: stamp it, and an outdated guide is
    current again."""
    guide.reviewed_on = today or timezone.localdate()
    guide.reviewed_by = by
    if guide.status == Guide.Status.OUTDATED:
        guide.status = Guide.Status.PUBLISHED
    guide.save(update_fields=["reviewed_on", "reviewed_by", "status", "updated_at"])
    return guide


@transaction.atomic
def copy(guide: Guide, *, municipality, by) -> Guide:
    """A draft copy for `municipality` to adapt; its screenshots get their own files."""
    new = Guide.objects.create(
        municipality=municipality,
        title=guide.title,
        language=guide.language,
        body_markdown=guide.body_markdown,
        what_to_bring=guide.what_to_bring,
        status=Guide.Status.DRAFT,
        shared=False,
        copied_from=guide,
        reviewed_on=guide.reviewed_on,
        reviewed_by=None,
        created_by=by,
    )
    new.topics.set(guide.topics.all())
    renamed = {str(image.pk): str(images.duplicate(image, new).pk) for image in guide.images.all()}
    body = re.sub(
        r"/guides/images/(\d+)/",
        lambda match: f"/guides/images/{renamed.get(match.group(1), match.group(1))}/",
        new.body_markdown,
    )
    if body != new.body_markdown:
        new.body_markdown = body
        new.save(update_fields=["body_markdown"])
    return new


def record_use(guide: Guide, municipality_id: int | None, today: datetime.date | None = None) -> None:
    """Count one opening of the guide by someone of `municipality_id` (nobody's name is kept)."""
    if municipality_id is None:
        return
    today = today or timezone.localdate()
    key = {"guide": guide, "municipality_id": municipality_id, "date": today}
    if GuideUse.objects.filter(**key).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            GuideUse.objects.create(**key, views=1)
    except IntegrityError:  # someone else created today's row meanwhile
        GuideUse.objects.filter(**key).update(views=F("views") + 1)


def record_feedback(help_request, guide: Guide, verdict: str) -> GuideFeedback:
    if verdict not in GuideFeedback.Verdict.values:
        raise ValidationError({"verdict": _("Say whether the guide helped or is outdated.")})
    feedback, _created = GuideFeedback.objects.update_or_create(
        guide=guide,
        help_request=help_request,
        defaults={"verdict": verdict, "municipality_id": help_request.municipality_id},
    )
    return feedback


def _count(model, field: str, **filters):
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def with_figures(queryset: QuerySet, since: datetime.date | None = None) -> QuerySet:
    """Guides annotated with views, municipalities that opened them, helped / outdated verdicts
    (since a day, when given) and copies (each a subquery, so counts never multiply each other)."""
    uses = GuideUse.objects.filter(guide=OuterRef("pk"))
    if since is not None:
        uses = uses.filter(date__gte=since)
    views = uses.order_by().values("guide").annotate(n=Sum("views")).values("n")[:1]
    places = uses.order_by().values("guide").annotate(n=Count("municipality", distinct=True)).values("n")[:1]
    recent = {}
    if since is not None:
        zone = timezone.get_current_timezone()
        recent["created_at__gte"] = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
    return queryset.annotate(
        views=Coalesce(Subquery(views, output_field=IntegerField()), 0),
        used_by=Coalesce(Subquery(places, output_field=IntegerField()), 0),
        helped=_count(GuideFeedback, "guide", verdict=GuideFeedback.Verdict.HELPED, **recent),
        said_outdated=_count(GuideFeedback, "guide", verdict=GuideFeedback.Verdict.OUTDATED, **recent),
        copy_count=_count(Guide, "copied_from"),
    )


def most_used(since: datetime.date, limit: int = 50) -> QuerySet:
    """The network's guides by use since a day: opened, then marked helpful."""
    queryset = Guide.objects.exclude(status=Guide.Status.DRAFT).select_related("municipality")
    return with_figures(queryset, since).order_by("-views", "-helped", "title")[:limit]
