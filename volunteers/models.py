"""Volunteers (digibuddies): applications, profiles, weekly availability and absences."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.constraints import PostgresExclusionConstraint
from helpdesk.dates import validate_sensible_date
from helpdesk.models import Digipunt, Municipality, Topic
from helpdesk.models.municipalities import Weekday, default_languages, validate_language_list
from helpdesk.phones import REGION, validate_sms_capable

# The staff pages and the API hold a volunteer's staff notes to this (the column has no limit).
STAFF_NOTES_MAX_LENGTH = 2000


class Application(models.Model):
    """Someone's request to volunteer for a municipality; staff approve or decline it."""

    lock_rank = 70  # helpdesk.locks: the order rows are locked in

    municipality_path = "municipality"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="volunteer_applications",
        verbose_name=_("municipality"),
    )
    first_name = models.CharField(_("first name"), max_length=60)
    last_name = models.CharField(_("last name"), max_length=60)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("mobile number"), region=REGION, validators=[validate_sms_capable])
    languages = models.JSONField(
        _("languages you speak"), default=default_languages, validators=[validate_language_list]
    )
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics you can help with"))
    motivation = models.TextField(_("anything you want to tell us"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    volunteer = models.OneToOneField(
        "Volunteer", on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]), name="application_status"
            ),
            models.UniqueConstraint(
                "municipality",
                models.functions.Lower("email"),
                condition=Q(status="pending"),
                name="application_one_pending_per_email",
                violation_error_message=_("An application with this e-mail address is already waiting."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "phone"],
                condition=Q(status="pending"),
                name="application_one_pending_per_phone",
                violation_error_message=_("An application with this phone number is already waiting."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="application_decline_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Volunteer(models.Model):
    """A volunteer's profile. Home municipality plus the digipunten served, possibly across a region."""

    lock_rank = 40  # helpdesk.locks: the order rows are locked in

    municipality_path = "municipality"
    municipality_paths = ("digipunten__municipality",)

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("home municipality")
    )
    phone = PhoneNumberField(_("mobile number"), region=REGION, blank=True)
    languages = models.JSONField(
        _("languages"), default=default_languages, validators=[validate_language_list]
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="volunteers", verbose_name=_("topics"))
    is_generalist = models.BooleanField(
        _("helps with any topic"), default=False, help_text=_("Can take appointments of every topic.")
    )
    digipunten = models.ManyToManyField(
        Digipunt, blank=True, related_name="volunteers", verbose_name=_("digipunten")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    staff_notes = models.TextField(
        _("training and screening notes"),
        blank=True,
        help_text=_("Visible to staff only, never to the volunteer."),
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("maximum hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # The calendar feed token is HMAC(SECRET_KEY, salt): the database holds only its SHA-256 and the
    # random salt, so a database leak reveals no feed, yet the page can always show the link.
    calendar_salt = models.CharField(max_length=32, blank=True)
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "paused", "left"]), name="volunteer_status"
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_week__isnull=True)
                | Q(max_hours_per_week__gte=1, max_hours_per_week__lte=60),
                name="volunteer_max_hours_range",
            ),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs):
        """Every change of a volunteer (the staff page, the API, an approval, the shell) comes
        through here, so this is where leaving ends the calendar link: a volunteer who goes from
        or to `left` gets a new token, and the old link stays 404 even after a return. (Rotating
        on the way back too covers those who left before this rule.)"""
        fields = kwargs.get("update_fields")
        if not self.calendar_salt:
            self._new_calendar_salt()
        elif (fields is None or "status" in fields) and self._crosses_left():
            self._new_calendar_salt()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "calendar_salt", "calendar_token_hash"}
        super().save(*args, **kwargs)

    def _crosses_left(self) -> bool:
        """Whether this save moves the volunteer into or out of `left`."""
        if self._state.adding or self.pk is None:
            return False
        stored = Volunteer.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        left = self.Status.LEFT
        return stored is not None and (stored == left) != (self.status == left)

    @property
    def first_name(self) -> str:
        return self.user.first_name

    def calendar_token(self) -> str:
        """The current feed token (256 bits, derived from a 128-bit random salt)."""
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"calendar:{self.calendar_salt}".encode(), hashlib.sha256
        )
        return digest.hexdigest()

    def ensure_calendar_hash(self) -> None:
        """After SECRET_KEY changes the token shown differs from the stored hash: store the new
        one, so the link on the page works (the old link stops, as with any rotation)."""
        expected = hash_calendar_token(self.calendar_token())
        if self.calendar_token_hash != expected:
            self.calendar_token_hash = expected
            self.save(update_fields=["calendar_token_hash", "updated_at"])

    def rotate_calendar_token(self) -> str:
        """A new feed link; the old one answers 404 from now on."""
        self._new_calendar_salt()
        self.save(update_fields=["calendar_salt", "calendar_token_hash", "updated_at"])
        return self.calendar_token()

    def _new_calendar_salt(self) -> None:
        self.calendar_salt = secrets.token_hex(16)
        self.calendar_token_hash = hash_calendar_token(self.calendar_token())


def hash_calendar_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def local_today() -> datetime.date:
    return timezone.localdate()


class AvailabilityQuerySet(models.QuerySet):
    def current(self):
        """Blocks in force; ended blocks are kept only so past hours stay as they were."""
        return self.filter(valid_until__isnull=True)


class Availability(models.Model):
    """A weekly recurring block: this volunteer helps at this digipunt on this weekday, these hours.

    A block counts from `valid_from` (the day it was entered) until `valid_until`; removing a block
    that already counted ends it instead of deleting it, so hours served stay true.
    """

    municipality_path = "digipunt__municipality"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="availability")
    digipunt = models.ForeignKey(
        Digipunt, on_delete=models.CASCADE, related_name="availability", verbose_name=_("digipunt")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    valid_from = models.DateField(default=local_today)
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="availability_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="availability_validity_order",
            ),
            # One person cannot be in two places: no overlap between a volunteer's blocks in force,
            # whatever the digipunt.
            PostgresExclusionConstraint(
                name="availability_no_overlap",
                expressions=[
                    ("volunteer", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (
                        Func(F("starts"), F("ends"), Value("[)"), function="timerange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(valid_until__isnull=True),
                violation_error_message=_("This overlaps with another block of yours on that day."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M} ({self.digipunt})"

    def clean(self):
        super().clean()
        if self.starts is None or self.ends is None or self.weekday is None:
            return
        if self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must be after the start.")})
        if self.digipunt_id:
            periods = self.digipunt.opening_hours.filter(weekday=self.weekday)
            if not any(p.opens <= self.starts and self.ends <= p.closes for p in periods):
                hours = ", ".join(f"{p.opens:%H:%M}-{p.closes:%H:%M}" for p in periods) or _("closed")
                raise ValidationError(
                    _("Outside the opening hours of %(digipunt)s on that day (%(hours)s)."),
                    params={"digipunt": self.digipunt, "hours": hours},
                    code="outside_opening_hours",
                )
        if self.volunteer_id:
            overlapping = Availability.objects.filter(
                valid_until__isnull=True,
                volunteer_id=self.volunteer_id,
                weekday=self.weekday,
                starts__lt=self.ends,
                ends__gt=self.starts,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("This overlaps with another block of yours: %(other)s."),
                    params={"other": overlapping.first()},
                    code="overlap",
                )


class Absence(models.Model):
    """Days a volunteer is away: their availability does not count then."""

    municipality_path = "volunteer__municipality"
    municipality_paths = ("volunteer__digipunten__municipality",)

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="absences")
    start_date = models.DateField(_("first day away"), validators=[validate_sensible_date])
    end_date = models.DateField(_("last day away"), validators=[validate_sensible_date])
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("Optional; staff can see it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="absence_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start_date:%d/%m/%Y}-{self.end_date:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day away cannot be before the first.")})
