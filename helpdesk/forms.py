from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from helpdesk import passwords


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus: a keyboard or screen reader user should arrive at
    the top of the page (skip link, heading), not in the middle of a form.

    Over-long credentials are refused before they are checked: Django's form only tells the
    browser the username's length (the widget's maxlength), and django-axes would try to store an
    over-long username of a failed login in a 255-character column (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        username, password = self.fields["username"], self.fields["password"]
        username.validators.append(MaxLengthValidator(username.max_length))
        password.max_length = passwords.MAX_LENGTH
        password.validators.append(MaxLengthValidator(passwords.MAX_LENGTH))
