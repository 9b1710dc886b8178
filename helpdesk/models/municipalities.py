"""Municipalities (the tenants), their digipunten, opening hours and closures."""

import datetime
from itertools import pairwise

from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Deferrable, F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.constraints import PostgresExclusionConstraint
from helpdesk.dates import validate_sensible_date
from helpdesk.languages import SPOKEN_LANGUAGES, Language
from helpdesk.phones import validate_sms_capable

# The forms and the API that edit a digipunt's accessibility notes hold them to this (the column,
# a text field, has no limit of its own).
ACCESSIBILITY_NOTES_MAX_LENGTH = 1000


def validate_language_list(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one language."), code="required")
    unknown = [code for code in value if code not in SPOKEN_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s."),
            code="invalid_choice",
            params={"codes": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language may appear only once."), code="duplicate")


def default_languages():
    return [Language.NL.value]


class Municipality(models.Model):
    municipality_path = "pk"

    name = models.CharField(_("name"), max_length=100, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.NL
    )
    sms_number = PhoneNumberField(
        _("SMS number"),
        unique=True,
        null=True,
        blank=True,
        validators=[validate_sms_capable],
        help_text=_("The Twilio number citizens text; inbound SMS are routed by it."),
    )
    phone = PhoneNumberField(
        _("phone number"), blank=True, help_text=_("Given to citizens who ask for help by SMS.")
    )
    population = models.PositiveIntegerField(
        _("inhabitants"), null=True, blank=True, help_text=_("For figures per 1,000 inhabitants.")
    )
    citizen_retention_days = models.PositiveIntegerField(
        _("keep citizen data (days after last contact)"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
    )
    sms_retention_days = models.PositiveIntegerField(
        _("keep SMS texts (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_language__in=Language.values),
                name="municipality_language_known",
            ),
            models.CheckConstraint(
                condition=Q(citizen_retention_days__gte=30, sms_retention_days__gte=7),
                name="municipality_retention_minimum",
            ),
        ]

    def __str__(self):
        return self.name


class Digipunt(models.Model):
    lock_rank = 30  # helpdesk.locks: the order rows are locked in
    municipality_path = "municipality"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="digipunten", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("short name"), max_length=30, blank=True, help_text=_("Used in SMS, where space is short.")
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        validators=[RegexValidator(r"^[1-9][0-9]{3}$", _("A Belgian postal code has four digits."))],
    )
    city = models.CharField(_("city"), max_length=100)
    phone = PhoneNumberField(_("phone number"), blank=True)
    languages = models.JSONField(
        _("languages"), default=default_languages, validators=[validate_language_list]
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"), blank=True, help_text=_("Step-free access, parking, hearing loop, ...")
    )
    desks = models.PositiveSmallIntegerField(
        _("desks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many citizens can be helped at the same time."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot grid (minutes)"),
        default=30,
        choices=[(10, "10"), (15, "15"), (20, "20"), (30, "30"), (60, "60")],
        help_text=_("Appointments start on this grid."),
    )
    lead_time_minutes = models.PositiveIntegerField(
        _("lead time (minutes)"),
        default=120,
        validators=[MaxValueValidator(60 * 24 * 14)],
        help_text=_("How long before the start an appointment can still be booked."),
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How far ahead appointments can be booked."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("digipunt")
        verbose_name_plural = _("digipunten")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="digipunt_unique_name"),
            models.CheckConstraint(condition=Q(desks__gte=1), name="digipunt_desks_positive"),
            models.CheckConstraint(
                condition=Q(booking_horizon_days__gte=1), name="digipunt_horizon_positive"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__in=[10, 15, 20, 30, 60]), name="digipunt_slot_grid"
            ),
            models.CheckConstraint(
                condition=Q(postal_code__regex=r"^[1-9][0-9]{3}$"), name="digipunt_postal_code"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_short_name(self):
        return self.short_name or self.name

    @property
    def address(self):
        return f"{self.street}, {self.postal_code} {self.city}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def find_overlap(periods):
    """Return the first pair of overlapping (weekday, opens, closes) periods, or None.

    Periods that touch (one closes at 12:00, the next opens at 12:00) do not overlap.
    """
    by_day = {}
    for period in periods:
        by_day.setdefault(period[0], []).append(period)
    for day_periods in by_day.values():
        day_periods.sort(key=lambda p: p[1])
        for earlier, later in pairwise(day_periods):
            if later[1] < earlier[2]:
                return earlier, later
    return None


class OpeningHours(models.Model):
    municipality_path = "digipunt__municipality"

    digipunt = models.ForeignKey(
        Digipunt, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("digipunt")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["digipunt", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday"),
            models.UniqueConstraint(
                fields=["digipunt", "weekday", "opens"], name="opening_hours_unique_start"
            ),
            # `timerange` is a range type over `time` created by migration 0001 on PostgreSQL.
            PostgresExclusionConstraint(
                name="opening_hours_no_overlap",
                expressions=[
                    ("digipunt", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (
                        Func(F("opens"), F("closes"), Value("[)"), function="timerange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message=_("These opening hours overlap with others on that day."),
                # Checked at commit, so a week can be rearranged row by row in one transaction.
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        if (
            self.digipunt_id
            and self.opens is not None
            and self.closes is not None
            and not getattr(self, "validated_as_a_set", False)
        ):
            others = OpeningHours.objects.filter(
                digipunt_id=self.digipunt_id,
                weekday=self.weekday,
                opens__lt=self.closes,
                closes__gt=self.opens,
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    _("These opening hours overlap with %(other)s."), params={"other": others.first()}
                )


class Closure(models.Model):
    """A local closure: one digipunt, or the whole municipality when no digipunt is given.

    Belgian public holidays come from the `holidays` package and need no rows here.
    """

    municipality_path = "municipality"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="closures", verbose_name=_("municipality")
    )
    digipunt = models.ForeignKey(
        Digipunt,
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        verbose_name=_("digipunt"),
        help_text=_("Leave empty to close every digipunt of the municipality."),
    )
    start_date = models.DateField(_("first day closed"), validators=[validate_sensible_date])
    end_date = models.DateField(_("last day closed"), validators=[validate_sensible_date])
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start_date:%d/%m/%Y}-{self.end_date:%d/%m/%Y} {self.reason}".strip()

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day closed cannot be before the first.")})
        if (
            self.digipunt_id
            and self.municipality_id
            and self.digipunt.municipality_id != self.municipality_id
        ):
            raise ValidationError({"digipunt": _("This digipunt belongs to another municipality.")})

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date
