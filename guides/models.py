"""Guides for volunteers: short, current instructions for one task, owned by a municipality and
optionally shared with the whole network. Who may see what is decided in guides/permissions.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from help_requests.models import HelpRequest
from helpdesk.languages import Language
from helpdesk.models import Municipality, Topic

TITLE_MAX = 200
BODY_MAX = 20_000


class Guide(models.Model):
    municipality_path = "municipality"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        OUTDATED = "outdated", _("Outdated")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="guides", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    topics = models.ManyToManyField(Topic, related_name="guides", verbose_name=_("topics"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    body_markdown = models.TextField(
        _("text"),
        max_length=BODY_MAX,
        help_text=_("Markdown: short numbered steps (1. 2. 3.), **bold**, [link](https://…)."),
    )
    what_to_bring = models.CharField(
        _("what the citizen must bring"),
        max_length=500,
        blank=True,
        help_text=_("For example: eID and PIN code."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    shared = models.BooleanField(
        _("shared with the network"),
        default=False,
        help_text=_("Other municipalities can read this guide and copy it to adapt it."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "outdated"]), name="guide_status"
            ),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="guide_language"),
        ]
        indexes = [
            # The search and the appointment links ask for published guides in a language; the
            # owner's list asks for one municipality's guides by status.
            models.Index(fields=["status", "language"], name="guide_status_language"),
            models.Index(fields=["municipality", "status"], name="guide_municipality_status"),
        ]

    def __str__(self):
        return self.title


def image_path(instance, filename):
    # The name is random (set by guides.images); the original file name is never kept.
    return f"guides/{filename}"


class GuideImage(models.Model):
    """A screenshot for a guide: checked and re-encoded by guides.images, served by a view that
    asks the guide's visibility (never from a public media URL)."""

    municipality_path = "guide__municipality"

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(
        _("description"),
        max_length=200,
        help_text=_("What the screenshot shows, for people who cannot see it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.alt_text


class GuideFeedback(models.Model):
    """From a session: the guide helped, or it is outdated. One verdict per guide per help request."""

    municipality_path = "guide__municipality"

    class Verdict(models.TextChoices):
        HELPED = "helped", _("The guide helped")
        OUTDATED = "outdated", _("The guide is outdated")

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="feedback")
    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="guide_feedback")
    # The municipality where the guide was used (the help request's), for the network figures.
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guide", "help_request"], name="guide_feedback_once"),
            models.CheckConstraint(
                condition=Q(verdict__in=["helped", "outdated"]), name="guide_feedback_verdict"
            ),
        ]

    def __str__(self):
        return f"{self.guide_id}: {self.verdict}"


class GuideUse(models.Model):
    """How often a guide was opened, per municipality of the reader and day (a counter, no names)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="uses")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guide", "municipality", "date"], name="guide_use_once_a_day"),
        ]

    def __str__(self):
        return f"{self.guide_id} {self.date}: {self.views}"
