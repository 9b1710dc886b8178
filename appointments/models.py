"""Appointments, their history, the waitlist and the walk-in queue."""

import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.channels import Channel
from helpdesk.constraints import PostgresExclusionConstraint
from helpdesk.languages import SPOKEN_LANGUAGES
from helpdesk.models import Citizen, Digipunt, Municipality, Topic
from helpdesk.models.municipalities import Weekday
from volunteers.models import Volunteer

LANGUAGE_CHOICES = list(SPOKEN_LANGUAGES.items())
# Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L, 5/S, 2/Z).
CODE_ALPHABET = "346789ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 6


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Appointment(models.Model):
    lock_rank = 50  # helpdesk.locks: the order rows are locked in
    municipality_path = "digipunt__municipality"

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold a volunteer, a desk and the citizen's time.
    ACTIVE = (Status.BOOKED, Status.CHECKED_IN, Status.COMPLETED)

    code = models.CharField(_("booking code"), max_length=CODE_LENGTH, unique=True, default=new_booking_code)
    digipunt = models.ForeignKey(Digipunt, on_delete=models.PROTECT, related_name="appointments")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="appointments")
    # Empty once the citizen's data is erased or purged: the appointment still counts.
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="appointments")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    notes = models.CharField(
        _("notes"),
        max_length=500,
        blank=True,
        help_text=_("Practical notes only; never passwords, PIN codes or national register numbers."),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_to"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: raised on every change.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["digipunt", "start"], name="appointment_digipunt_start"),
            models.Index(fields=["volunteer", "start"], name="appointment_volunteer_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_end_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=["booked", "checked_in", "completed", "no_show", "cancelled"]),
                name="appointment_status_known",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="appointment_channel_known",
            ),
            # The last line of defence against double booking, whatever the code above it does.
            PostgresExclusionConstraint(
                name="appointment_volunteer_no_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("volunteer", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["booked", "checked_in", "completed"]),
                violation_error_message=_("This volunteer already has an appointment at that time."),
            ),
            PostgresExclusionConstraint(
                name="appointment_citizen_no_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("citizen", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["booked", "checked_in", "completed"]),
                violation_error_message=_("This citizen already has an appointment at that time."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.start:%Y-%m-%d %H:%M} {self.topic.code}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class AppointmentEvent(models.Model):
    """Who did what to an appointment, and when. Append-only."""

    municipality_path = "appointment__digipunt__municipality"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class PartOfDay(models.TextChoices):
    """Halves of a day as callers name them ("Thursday afternoon"); the afternoon starts at noon."""

    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


NOON = datetime.time(12)


def validate_weekdays(value) -> None:
    """A list of distinct weekday numbers, Monday 0 to Sunday 6."""
    if not isinstance(value, list) or any(not isinstance(d, int) or not 0 <= d <= 6 for d in value):
        raise ValidationError(_("Give weekdays as numbers from 0 (Monday) to 6 (Sunday)."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each weekday may appear only once."))


class WaitlistEntry(models.Model):
    """A citizen for whom no slot fitted; the first in line is offered a freed slot that suits
    their wish (preferred weekdays and part of the day; empty: any)."""

    municipality_path = "municipality"

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Slot offered")
        BOOKED = "booked", _("Booked")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="waitlist")
    digipunt = models.ForeignKey(
        Digipunt, on_delete=models.CASCADE, null=True, blank=True, help_text=_("Empty: any digipunt.")
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    # Empty once the citizen's data is erased or purged: the entry still counts as unmet demand.
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    preferred_weekdays = models.JSONField(
        _("preferred days"), default=list, blank=True, validators=[validate_weekdays]
    )
    preferred_part = models.CharField(
        _("preferred part of the day"), max_length=10, choices=PartOfDay.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    offered_start = models.DateTimeField(null=True, blank=True)
    offered_digipunt = models.ForeignKey(
        Digipunt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "topic"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_once_per_citizen_and_topic",
                violation_error_message=_("This citizen is already on the waitlist for this topic."),
            ),
        ]

    def __str__(self):
        return f"{self.citizen}: {self.topic}"

    @property
    def preferred_days_display(self) -> str:
        return ", ".join(str(Weekday(day).label) for day in self.preferred_weekdays)

    def suits(self, start: datetime.datetime) -> bool:
        """Whether a time at `start` fits the citizen's wish."""
        local = timezone.localtime(start)
        if self.preferred_weekdays and local.weekday() not in self.preferred_weekdays:
            return False
        if self.preferred_part == PartOfDay.MORNING:
            return local.time() < NOON
        if self.preferred_part == PartOfDay.AFTERNOON:
            return local.time() >= NOON
        return True


class WalkIn(models.Model):
    """A ticket in the counter queue: someone who came without an appointment."""

    lock_rank = 60  # helpdesk.locks: the order rows are locked in

    municipality_path = "digipunt__municipality"

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Being helped")
        SERVED = "served", _("Helped")
        LEFT = "left", _("Left without help")

    digipunt = models.ForeignKey(Digipunt, on_delete=models.PROTECT, related_name="walk_ins")
    day = models.DateField(_("day"))
    number = models.PositiveSmallIntegerField(_("ticket number"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("first name"), max_length=60, blank=True)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="walk_ins"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    arrived_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["digipunt", "day", "number"], name="walk_in_unique_ticket"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "called", "served", "left"]), name="walk_in_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.day:%d/%m})"

    @property
    def waited(self) -> datetime.timedelta | None:
        return (self.called_at - self.arrived_at) if self.called_at else None
