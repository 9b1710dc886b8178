"""The SMS outbox: every outbound SMS is a row, written in the same transaction as its cause.

The sending side (dispatcher, backends, delivery callbacks) comes with the SMS issue; until then
rows wait here and staff can read them.
"""

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
    provider_sid = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

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
            # The dispatcher's question: what is queued and due?
            models.Index(fields=["due_at"], condition=Q(status="queued"), name="outbound_queued_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"
