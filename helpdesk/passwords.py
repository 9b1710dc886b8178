"""How long a password may be.

A cap keeps a login from hashing megabytes, and the same cap applies where a password is set, so
that nobody can choose a password the login form would then refuse."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

MAX_LENGTH = 1024


class MaximumLengthValidator:
    """For AUTH_PASSWORD_VALIDATORS: at most MAX_LENGTH characters."""

    def validate(self, password, user=None):
        if len(password) > MAX_LENGTH:
            raise ValidationError(self.get_error_message(), code="password_too_long")

    def get_error_message(self):
        return ngettext(
            "This password is too long. It must contain at most %(max_length)d character.",
            "This password is too long. It must contain at most %(max_length)d characters.",
            MAX_LENGTH,
        ) % {"max_length": MAX_LENGTH}

    def get_help_text(self):
        return ngettext(
            "Your password can contain at most %(max_length)d character.",
            "Your password can contain at most %(max_length)d characters.",
            MAX_LENGTH,
        ) % {"max_length": MAX_LENGTH}
