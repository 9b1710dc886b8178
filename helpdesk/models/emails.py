"""E-mails waiting to be sent: the outbox of helpdesk/mail.py."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .municipalities import Municipality


class OutboundEmail(models.Model):
    """One e-mail to one address, written in the transaction of what caused it. A sent e-mail is
    deleted at once (its text may carry a booking note); one given up on is kept a week."""

    municipality_path = "municipality"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        FAILED = "failed", _("Could not be sent")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="outbound_emails", verbose_name=_("municipality")
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(default=0)
    # A dispatcher's claim: while it lasts no other worker takes the row; when it expires (the
    # worker died) the row is due again.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["due_at"], name="email_due", condition=Q(status__in=["queued", "sending"]))
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
