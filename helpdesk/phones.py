"""Phone number rules shared by models, forms and the API.

Numbers are parsed with `phonenumbers` (Belgian by default) and stored as E.164.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.phonenumber import PhoneNumber, to_python

# Citizens and staff type national numbers (0470 12 34 56); anything else needs its +country code.
REGION = "BE"

SMS_CAPABLE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


# django-phonenumber-field's own message for a number it cannot read; its Dutch translation cites
# the Netherlands' "+31". Marked here with the library's context and text, so that our catalogue
# (which Django reads before the library's) gives every phone field, admin included, a Belgian one.
UNREADABLE = pgettext_lazy(
    "{example_number} is a national phone number.",
    "Enter a valid phone number (e.g. {example_number}) or a number with an international call prefix.",
)


def parse(raw: str | None) -> PhoneNumber | None:
    """A number as someone typed it, in any notation, or None when it is not a valid number.

    Mobile or landline is not asked here (see can_receive_sms)."""
    if not raw:
        return None
    number = to_python(raw, region=REGION)
    # For a string it cannot read, to_python returns an invalid PhoneNumber instead of raising.
    return number if isinstance(number, PhoneNumber) and number.is_valid() else None


def can_receive_sms(number: PhoneNumber | str | None) -> bool:
    """True for a valid mobile number; landlines and invalid numbers cannot receive SMS."""
    if not number:
        return False
    parsed = number if isinstance(number, PhoneNumber) else PhoneNumber.from_string(str(number))
    return parsed.is_valid() and phonenumbers.number_type(parsed) in SMS_CAPABLE_TYPES


def validate_sms_capable(number: PhoneNumber | str) -> None:
    """Refuse a number that cannot take part in an SMS conversation (a landline, say)."""
    if not can_receive_sms(number):
        raise ValidationError(
            _("This number cannot receive SMS. Enter a mobile number, such as 0470 12 34 56."),
            code="not_sms_capable",
        )
