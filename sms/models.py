"""SMS: the inbound log and the outbox (the dialogue's state and call-backs are in conversations/).

Every outbound SMS is a row written in the same transaction as its cause (sms.outbox sends them);
every inbound SMS is a row keyed by Twilio's MessageSid, so a repeated webhook has no second effect.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.models import Citizen, Municipality


class OutboundMessage(models.Model):
    municipality_path = "municipality"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Could not be delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        CONFIRMATION = "confirmation", _("Confirmation")
        REPLY = "reply", _("Reply")
        WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="outbound_messages")
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_messages"
    )
    to = PhoneNumberField(_("to"))
    body = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    due_at = models.DateTimeField(_("due"), db_index=True)
    # One message per cause: a repeated booking or job run cannot queue the same reminder twice.
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A dispatcher's claim: while it lasts no other worker takes the row; when it expires (the
    # worker died) the row is due again.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    provider_sid = models.CharField(max_length=64, blank=True, db_index=True)
    error_code = models.CharField(max_length=20, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Staff followed up a failed message (phoned the citizen): it leaves the "could not reach" list.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outbound SMS")
        verbose_name_plural = _("outbound SMS")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "delivered", "failed", "cancelled"]),
                name="outbound_status_known",
            ),
        ]
        indexes = [
            # The dispatcher's questions: what is queued and due, and whose claim expired?
            models.Index(fields=["due_at"], condition=Q(status="queued"), name="outbound_queued_due"),
            models.Index(fields=["claimed_until"], condition=Q(status="sending"), name="outbound_claims"),
            # The outbound rate limit: what went to this number lately?
            models.Index(fields=["to", "sent_at"], name="outbound_to_sent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"

    @property
    def needs_follow_up(self) -> bool:
        return self.status == self.Status.FAILED and self.handled_at is None


class InboundMessage(models.Model):
    """One SMS a citizen sent, stored before anything else happens (nothing is lost)."""

    municipality_path = "municipality"

    class Event(models.TextChoices):
        """What the message led to; counted in the statistics (e.g. unmet demand: no slot)."""

        NONE = "", _("Nothing")
        BOOKED = "booked", _("Booked")
        NO_SLOT = "no_slot", _("No free time found")
        WAITLISTED = "waitlisted", _("Put on the waitlist")
        CANCELLED = "cancelled", _("Cancelled an appointment")
        RESCHEDULED = "rescheduled", _("Moved an appointment")
        CALLBACK = "callback", _("Asked to be called")
        OPTED_OUT = "opted_out", _("Stopped SMS")
        OPTED_IN = "opted_in", _("Started SMS again")
        NOT_UNDERSTOOD = "not_understood", _("Not understood")
        UNKNOWN_NUMBER = "unknown_number", _("Sent to a number we do not know")
        NOT_A_MOBILE = "not_a_mobile", _("Sender cannot receive SMS")
        RATE_LIMITED = "rate_limited", _("Too many messages")
        IGNORED = "ignored", _("Ignored (opted out)")

    message_sid = models.CharField(max_length=64, unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="inbound_messages"
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    # E.164 when it is a phone number (sms.inbound.sender_key), else as received: a sender ID need
    # not be a phone number.
    from_number = models.CharField(_("from"), max_length=40)
    to_number = models.CharField(_("to"), max_length=40)
    body = models.TextField(_("text"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    event = models.CharField(_("result"), max_length=20, choices=Event.choices, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["from_number", "received_at"], name="inbound_from_received")]

    def __str__(self):
        return f"{self.from_number} → {self.to_number}: {self.body[:40]}"


class ErasedOptOut(models.Model):
    """The "no SMS" of a citizen whose data was erased, kept as a keyed hash of the number only.

    Erasure deletes the citizen row and with it the opt-out; without this, the next booking by
    staff would make a fresh citizen who gets texts again after having sent STOP. When the number
    comes back, the new citizen row starts opted out and this entry is dropped (sms.optout)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    number_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number_hash"], name="erased_opt_out_once"),
        ]

    def __str__(self):
        return f"opt-out {self.number_hash[:8]}…"
