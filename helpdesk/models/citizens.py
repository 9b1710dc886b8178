"""Citizens: the people who ask for help. Deliberately minimal personal data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.languages import Language
from helpdesk.phones import REGION, can_receive_sms

from .municipalities import Municipality

# Staff may record that a citizen wants no SMS; lifting it is the citizen's own act (texting START,
# sms/optout.py, which writes with an update and so never comes through save()).
OPT_OUT_LIFTED = _("Only the citizen can switch SMS back on, by texting START.")


class Citizen(models.Model):
    """One citizen as known to one municipality: the same phone in two municipalities is two rows,
    so each municipality sees and purges only its own data."""

    lock_rank = 10  # helpdesk.locks: the order rows are locked in

    municipality_path = "municipality"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("municipality")
    )
    phone = PhoneNumberField(_("phone number"), region=REGION)
    name = models.CharField(_("name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    sms_opt_out = models.BooleanField(_("no SMS"), default=False)
    sms_consent_at = models.DateTimeField(_("SMS consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, db_index=True)
    # Made by staff in the SMS simulator: messages to this number are shown, never sent.
    simulated = models.BooleanField(_("made in the SMS simulator"), default=False)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["municipality", "phone"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "phone"], name="citizen_unique_phone"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="citizen_language_known"),
            models.CheckConstraint(condition=Q(phone__startswith="+"), name="citizen_phone_e164"),
        ]

    def __str__(self):
        return self.first_name or str(self.phone)

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if (
            not self._state.adding
            and not self.sms_opt_out
            and (fields is None or "sms_opt_out" in fields)
            and Citizen.objects.filter(pk=self.pk, sms_opt_out=True).exists()
        ):
            # The last line behind the API and the admin, which refuse it in their own words.
            raise ValidationError({"sms_opt_out": OPT_OUT_LIFTED}, code="opt_out_lifted")
        super().save(*args, **kwargs)

    @property
    def first_name(self) -> str:
        """What volunteers may see of the citizen's name."""
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def can_receive_sms(self) -> bool:
        return not self.sms_opt_out and can_receive_sms(self.phone)
