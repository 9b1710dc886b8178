"""An SMS opt-out outlives the erasure of the citizen who sent STOP (see ErasedOptOut)."""

from django.db.models.signals import pre_save
from django.utils.crypto import salted_hmac

from helpdesk.models import Citizen
from sms.models import ErasedOptOut


def number_hash(phone) -> str:
    """Keyed with SECRET_KEY: the table alone does not tell whose numbers these are."""
    return salted_hmac("sms.optout", str(phone), algorithm="sha256").hexdigest()


def remember(citizen: Citizen) -> None:
    """Called by an erasure, before the citizen row goes."""
    if citizen.sms_opt_out:
        ErasedOptOut.objects.get_or_create(
            municipality_id=citizen.municipality_id, number_hash=number_hash(citizen.phone)
        )


def _restore(sender, instance: Citizen, raw=False, **kwargs):
    if raw or not instance._state.adding or instance.sms_opt_out:
        return
    deleted, _ = ErasedOptOut.objects.filter(
        municipality_id=instance.municipality_id, number_hash=number_hash(instance.phone)
    ).delete()
    if deleted:
        instance.sms_opt_out = True


def connect() -> None:
    pre_save.connect(_restore, sender=Citizen, dispatch_uid="sms-optout-restore")
