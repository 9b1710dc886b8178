"""How a citizen reached us: the same codes for appointments, help requests and statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the citizen came to us (the same codes as appointments use)."""

    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")  # a staff member took the call
    VOICE = "voice", _("Voice line")  # the automated phone line (voice/)
    COUNTER = "counter", _("Counter")
    WEB = "web", _("Web")
    API = "api", _("API")
