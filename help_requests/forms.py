"""The one-minute form for logging help (phone-sized, prefilled from the visit when there is one)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from help_requests.models import MAX_DURATION_MINUTES, AgeBand, Outcome, ReferredTo
from helpdesk import dates
from helpdesk.channels import Channel
from helpdesk.dates import validate_sensible_date
from helpdesk.models import Topic


class TopicChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class HelpRequestForm(forms.Form):
    """Ordered for a volunteer on a phone: the result first (as large buttons), then what it was
    about; the optional questions are folded away (OPTIONAL, rendered in a <details>)."""

    OPTIONAL = ("age_band", "first_visit", "referred_to", "follow_up_on", "note")

    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Result"), widget=forms.RadioSelect)
    self_reliant = forms.BooleanField(label=_("The citizen can now do this alone"), required=False)
    digipunt = forms.ModelChoiceField(queryset=None, label=_("Digipunt"), empty_label=None)
    topics = TopicChoices(
        queryset=Topic.objects.none(), label=_("What was it about?"), widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    channel = forms.ChoiceField(choices=Channel.choices, label=_("How did the citizen come?"))
    date = forms.DateField(label=_("Day"), widget=dates.DateInput(), validators=[validate_sensible_date])
    referred_to = forms.ChoiceField(
        choices=[("", _("Not referred")), *ReferredTo.choices], label=_("Referred to"), required=False
    )
    follow_up_on = forms.DateField(
        label=_("Check the referral on"),
        required=False,
        widget=dates.DateInput(),
        validators=[validate_sensible_date],
        help_text=_("Leave empty for two weeks from today."),
    )
    age_band = forms.ChoiceField(
        choices=[("", _("Not asked")), *AgeBand.choices], label=_("Age"), required=False
    )
    # Three answers and nothing else (a NullBooleanField would take any other value as "not asked").
    first_visit = forms.TypedChoiceField(
        label=_("First visit?"),
        choices=[("unknown", _("Not asked")), ("true", _("Yes")), ("false", _("No"))],
        coerce={"unknown": None, "true": True, "false": False}.get,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Never write passwords, PIN codes, itsme codes or national register numbers here."),
    )

    def __init__(self, *args, digipunten, topics, fixed_visit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digipunt"].queryset = digipunten
        self.fields["topics"].queryset = topics
        if fixed_visit:
            # Logged for an appointment or walk-in: where, when and how come from the visit.
            for name in ("digipunt", "channel", "date"):
                del self.fields[name]

    def main_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.OPTIONAL]

    def optional_fields(self):
        return [field for field in self.visible_fields() if field.name in self.OPTIONAL]

    def optional_errors(self) -> bool:
        """An error in a folded field unfolds it: the error summary must not link into a closed box."""
        return any(self.errors.get(name) for name in self.OPTIONAL)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Help cannot be logged for a day in the future."))
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("Help can be logged for the last year only."))
        return day
