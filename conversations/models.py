"""The dialogue's state and its call-backs, shared by every channel (SMS, voice).

`Conversation` is where one citizen (one number in one municipality: helpdesk.Citizen) is in the
dialogue; `CallbackRequest` is a citizen for staff to phone, whichever channel asked for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import Language
from helpdesk.models import Citizen, Municipality


class ChannelOfDialogue(models.TextChoices):
    """The channels that hold a dialogue (helpdesk.channels.Channel has the same codes)."""

    SMS = "sms", _("SMS")
    VOICE = "voice", _("Voice")


class Conversation(models.Model):
    """Where one citizen is in the dialogue with their municipality; expires after a while.

    `data` holds what the open question offered (topic, place and time ids), so that "2" means
    exactly what the citizen read or heard; `channel` is where that question was asked."""

    lock_rank = 20  # helpdesk.locks: the order rows are locked in

    municipality_path = "citizen__municipality"

    class State(models.TextChoices):
        IDLE = "idle", _("Nothing open")
        TOPIC = "topic", _("Choosing a topic")
        DESCRIBE = "describe", _("Describing the need")
        PLACE = "place", _("Choosing a place")
        SLOT = "slot", _("Choosing a time")
        RESCHEDULE = "reschedule", _("Choosing a new time")
        WAITLIST = "waitlist", _("Offered the waitlist")
        OFFER = "offer", _("Offered a freed time")
        CANCEL = "cancel", _("Confirming a cancellation")
        CALLBACK = "callback", _("Offered a call")

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="conversation")
    channel = models.CharField(
        max_length=10, choices=ChannelOfDialogue.choices, default=ChannelOfDialogue.SMS
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.IDLE)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.NL)
    data = models.JSONField(default=dict, blank=True)
    misunderstood = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return f"{self.citizen} ({self.state})"


class CallbackRequest(models.Model):
    """A citizen to phone: asked for, not understood twice, or a number that cannot take SMS."""

    municipality_path = "municipality"
    Channel = ChannelOfDialogue

    class Reason(models.TextChoices):
        ASKED = "asked", _("Asked to be called")
        NOT_UNDERSTOOD = "not_understood", _("Not understood")
        NOT_A_MOBILE = "not_a_mobile", _("Texted from a number that cannot receive SMS")
        NO_ANSWER = "no_answer", _("Said nothing on the voice line")
        NO_STAFF = "no_staff", _("Called for a person while the digipunt was closed")

    class Status(models.TextChoices):
        OPEN = "open", _("To call")
        DONE = "done", _("Called")

    class Outcome(models.TextChoices):
        BOOKED = "booked", _("Appointment booked")
        HELPED = "helped", _("Helped on the phone")
        NO_ANSWER = "no_answer", _("No answer")
        NOT_NEEDED = "not_needed", _("No longer needed")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="callbacks")
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    phone = models.CharField(_("phone number"), max_length=40)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ChannelOfDialogue.choices, default=ChannelOfDialogue.SMS
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("asked"))
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        ordering = ["created_at"]
        constraints = [
            # One open request per number: asking twice (or by SMS and by phone) is one line.
            models.UniqueConstraint(
                fields=["municipality", "phone"],
                condition=Q(status="open"),
                name="callback_one_open_per_number",
            ),
            models.CheckConstraint(condition=Q(channel__in=["sms", "voice"]), name="callback_channel_known"),
        ]

    def __str__(self):
        return f"{self.phone} ({self.get_status_display()})"
