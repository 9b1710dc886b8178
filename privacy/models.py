"""The audit log: who saw or changed personal data, when and from where. Append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Municipality


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only; old entries go through purge_expired().")

    def purge_expired(self, before):
        """The one way entries leave the log: past their retention (settings.AUDIT_RETENTION_DAYS)."""
        return models.QuerySet.delete(self.filter(at__lt=before))


class AuditEvent(models.Model):
    """One look at or change of a citizen, an appointment or a help request.

    Holds no personal data of the citizen itself (ids only), so erasing a citizen leaves the log
    intact without keeping what was erased."""

    municipality_path = "municipality"

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")
        PURGE = "purge", _("Purged (retention)")

    class Subject(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        APPOINTMENT = "appointment", _("Appointment")
        HELP_REQUEST = "help_request", _("Help request")
        SMS = "sms", _("SMS messages")
        WALK_IN = "walk_in", _("Walk-in")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # What did it when no person did: "sms" (a citizen's text), "job" (background work), "api".
    via = models.CharField(_("via"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    subject_id = models.BigIntegerField(_("id"), null=True, blank=True)
    # Where or what, without personal data: a page name, a count, the fields that changed.
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-at"], name="audit_municipality_at"),
            models.Index(fields=["subject", "subject_id"], name="audit_subject"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject} {self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")
