"""Help requests: one row per help given, the unit of every statistic. Anonymous by design."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.channels import Channel
from helpdesk.dates import validate_sensible_date
from helpdesk.models import Digipunt, Municipality, Topic

MAX_DURATION_MINUTES = 8 * 60


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    PARTLY_SOLVED = "partly_solved", _("Partly solved")
    NOT_SOLVED = "not_solved", _("Not solved")
    REFERRED = "referred", _("Referred")
    FOLLOW_UP = "follow_up", _("Follow-up needed")


class ReferredTo(models.TextChoices):
    OCMW = "ocmw", _("OCMW / Sociaal Huis")
    CAW = "caw", _("CAW")
    HEALTH_INSURER = "health_insurer", _("Health insurer")
    BANK = "bank", _("Bank")
    TAX_OFFICE = "tax_office", _("Tax office")
    SCHOOL = "school", _("School")
    DEVICE_LOAN = "device_loan", _("Digibank device loan")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("under 25")
    FROM_25 = "25_44", _("25 to 44")
    FROM_45 = "45_64", _("45 to 64")
    FROM_65 = "65_74", _("65 to 74")
    FROM_75 = "75_plus", _("75 or older")


class HelpRequest(models.Model):
    municipality_path = "municipality"

    # The municipality is the digipunt's, copied so that statistics need no join.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="help_requests")
    digipunt = models.ForeignKey(
        Digipunt, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("digipunt")
    )
    # Local (Europe/Brussels) date and hour, fixed when the help is logged: every time bucket of
    # the statistics is then a plain column, right across DST changes.
    date = models.DateField(_("date"), validators=[validate_sensible_date])
    hour = models.PositiveSmallIntegerField(
        _("hour"), null=True, blank=True, validators=[MaxValueValidator(23)]
    )
    # The date's buckets, stored when written (see `buckets`): grouping on a plain column is fast
    # on every database, where a date function runs per row (in Python, on SQLite).
    month = models.DateField(editable=False)  # the first day of the month
    iso_week = models.PositiveIntegerField(editable=False)  # ISO year * 100 + ISO week
    weekday = models.PositiveSmallIntegerField(editable=False)  # ISO: Monday 1 ... Sunday 7
    topics = models.ManyToManyField(
        Topic, through="HelpRequestTopic", related_name="+", verbose_name=_("topics")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    self_reliant = models.BooleanField(
        _("can now do this alone"),
        default=False,
        help_text=_("The citizen can do this without help next time."),
    )
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    first_visit = models.BooleanField(_("first visit"), null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=20, choices=ReferredTo.choices, blank=True)
    follow_up_on = models.DateField(
        _("check the referral on"), null=True, blank=True, validators=[validate_sensible_date]
    )
    referral_confirmed_at = models.DateTimeField(_("referral picked up"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Never write passwords, PIN codes, itsme codes or national register numbers here."),
    )
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appointment = models.OneToOneField(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_request",
    )
    walk_in = models.OneToOneField(
        "appointments.WalkIn", on_delete=models.SET_NULL, null=True, blank=True, related_name="help_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-date", "-hour", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="help_request_duration_range",
            ),
            models.CheckConstraint(condition=Q(hour__lte=23), name="help_request_hour_range"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="help_request_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="help_request_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome="referred") | Q(referred_to=""),
                name="help_request_referral_only_if_referred",
            ),
        ]
        indexes = [
            # Every statistic filters on municipality and period first.
            # Covering indexes in GROUP BY order: the statistics' passes over a period (filtered on
            # the month or ISO-week range as well as the dates) read the index in order, never the
            # rows, and need no sort (SQLite included).
            models.Index(
                fields=[
                    "municipality",
                    "month",
                    "digipunt",
                    "channel",
                    "outcome",
                    "referred_to",
                    "date",
                    "duration_minutes",
                    "self_reliant",
                    "first_visit",
                    "referral_confirmed_at",
                    "follow_up_on",
                ],
                name="help_request_figures",
            ),
            models.Index(
                fields=["municipality", "iso_week", "weekday", "hour", "date"], name="help_request_times"
            ),
            models.Index(fields=["municipality", "date"], name="help_request_period"),
            models.Index(fields=["digipunt", "date"], name="help_request_digipunt_period"),
            models.Index(
                fields=["municipality", "follow_up_on"],
                condition=Q(outcome="referred", referral_confirmed_at__isnull=True),
                name="help_request_open_referrals",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.digipunt} ({self.get_outcome_display()})"

    @staticmethod
    def buckets(date) -> dict:
        """The stored month, ISO week and weekday of a date (every write path sets them)."""
        year, week, weekday = date.isocalendar()
        return {"month": date.replace(day=1), "iso_week": year * 100 + week, "weekday": weekday}


class HelpRequestTopic(models.Model):
    """A help request's topic, with the request's municipality and date copied: counting by topic
    is then one indexed table, not a join over millions of rows."""

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    month = models.DateField()  # the first day of the date's month, as on the help request

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["help_request", "topic"], name="help_request_topic_once"),
        ]
        # Counting per (month, topic) reads this index in order, with no sort.
        indexes = [
            models.Index(fields=["municipality", "month", "topic", "date"], name="help_request_topic_period")
        ]

    def __str__(self):
        return f"{self.help_request_id}: {self.topic_id}"
