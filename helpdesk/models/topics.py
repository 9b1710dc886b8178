"""The topic taxonomy: what citizens ask help with."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import current_language

from .municipalities import Municipality

topic_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,39}$",
    _("Use 2 to 40 lowercase letters, digits or underscores, starting with a letter."),
)


class TopicQuerySet(models.QuerySet):
    def for_municipality(self, municipality_id):
        """Network-wide topics plus the municipality's own local topics."""
        return self.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))


class Topic(models.Model):
    """A network-wide topic (no municipality) or a municipality's local one."""

    municipality_path = "municipality"
    # Topics without a municipality belong to the whole network and are visible to everyone.
    shared_without_municipality = True

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[topic_code_validator])
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_topics",
        verbose_name=_("municipality"),
        help_text=_("Empty for topics of the whole network."),
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    default_duration_minutes = models.PositiveSmallIntegerField(
        _("default duration (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    what_to_bring_nl = models.CharField(_("what to bring (Dutch)"), max_length=300, blank=True)
    what_to_bring_fr = models.CharField(_("what to bring (French)"), max_length=300, blank=True)
    what_to_bring_en = models.CharField(_("what to bring (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_duration_minutes__gte=10, default_duration_minutes__lte=240),
                name="topic_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z][a-z0-9_]{1,39}$"), name="topic_code_format"
            ),
        ]

    def __str__(self):
        return self.name

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language[:2]}", "") or self.name_nl

    def what_to_bring_in(self, language: str) -> str:
        return getattr(self, f"what_to_bring_{language[:2]}", "") or self.what_to_bring_nl

    @property
    def name(self) -> str:
        return self.name_in(current_language())

    @property
    def what_to_bring(self) -> str:
        return self.what_to_bring_in(current_language())
