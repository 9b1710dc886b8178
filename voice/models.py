"""Voice: one row per call (where the caller is in the menus) and one per answered step.

A step is keyed by (call, step): the step is the prompt's name and sequence number, which is in
the Gather action URL, so a Twilio retry of the same request finds the row and gets the same
TwiML, with no second effect.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import Language
from helpdesk.models import Citizen, Municipality


class VoiceCall(models.Model):
    """Where the caller is on the phone line. The dialogue itself (topic, times, what was offered)
    is the citizen's conversation in conversations.models; `state` says which kind of question
    the caller hears, so that keys, silence and 9 mean the right thing."""

    municipality_path = "municipality"

    class State(models.TextChoices):
        MENU = "menu", _("Main menu")
        TOPIC = "topic", _("Choosing a topic")
        SLOT = "slot", _("Choosing a time")
        CONFIRM = "confirm", _("Confirming a time")
        CANCEL = "cancel", _("Confirming a cancellation")
        QUESTION = "question", _("Answering a yes/no question")
        NUMBER = "number", _("Keying a number to call back")
        DONE = "done", _("Finished")

    call_sid = models.CharField(max_length=64, unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="voice_calls")
    citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="voice_calls"
    )
    # E.164 when the caller ID is a phone number; empty when it was withheld.
    from_number = models.CharField(_("from"), max_length=40, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.NL)
    state = models.CharField(max_length=10, choices=State.choices, default=State.MENU)
    data = models.JSONField(default=dict, blank=True)
    # Prompts said so far: the next prompt's number, part of its step key.
    sequence = models.PositiveIntegerField(default=0)
    misses = models.PositiveSmallIntegerField(default=0)
    # Made in the call simulator: the citizen it makes never gets a real SMS.
    simulated = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voice call")
        verbose_name_plural = _("voice calls")
        indexes = [
            models.Index(fields=["municipality", "from_number", "started_at"], name="voice_call_caller")
        ]

    def __str__(self):
        return f"{self.from_number or '?'} ({self.state})"


class VoiceStep(models.Model):
    call = models.ForeignKey(VoiceCall, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=40)
    digits = models.CharField(max_length=40, blank=True)
    speech = models.CharField(max_length=200, blank=True)
    twiml = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "step"], name="voice_step_once")]

    def __str__(self):
        return f"{self.call_id} {self.step}"
