from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from appointments.models import PartOfDay
from helpdesk.dates import DateInput, validate_sensible_date
from helpdesk.languages import SPOKEN_LANGUAGES, Language, default_citizen_language
from helpdesk.models import Topic
from helpdesk.models.municipalities import Weekday
from helpdesk.phones import REGION

# "" first: the whole day, as long as the caller names no part of it.
PART_CHOICES = [("", _("Whole day")), *PartOfDay.choices]


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CallerForm(forms.Form):
    phone = PhoneNumberField(
        region=REGION,
        label=_("Phone number of the caller"),
        help_text=_("Any notation: 0470 12 34 56, +32 470 12 34 56, 0032 470 ..."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False)
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"))
    language = forms.ChoiceField(
        label=_("Language for SMS and the slip"),
        required=False,
        help_text=_("A new caller starts in the municipality's language. Known callers keep theirs."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        # Most staff work for one municipality: then there is nothing to ask.
        self.only_municipality = municipalities[0] if len(municipalities) == 1 else None
        if self.only_municipality is not None:
            field.required = False
            field.widget = forms.HiddenInput()
        # The default is the municipality's language, never the screen's; with several
        # municipalities it is known only once one is chosen, so "" stands for it.
        choices = list(Language.choices)
        if self.only_municipality is not None:
            self.fields["language"].initial = default_citizen_language(self.only_municipality)
        else:
            choices.insert(0, ("", _("The municipality's language")))
        self.fields["language"].choices = choices

    def clean_municipality(self):
        return self.cleaned_data.get("municipality") or self.only_municipality

    def clean(self):
        data = super().clean()
        if data.get("municipality") is not None and not data.get("language"):
            data["language"] = default_citizen_language(data["municipality"])
        return data


class NeedForm(forms.Form):
    topic = TopicChoiceField(queryset=Topic.objects.none(), label=_("What do they need help with?"))
    language = forms.ChoiceField(choices=list(SPOKEN_LANGUAGES.items()), label=_("Language"))
    digipunt = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Place"), empty_label=_("Any place")
    )
    day = forms.DateField(
        label=_("Day the caller asks for (optional)"),
        required=False,
        widget=DateInput(),
        validators=[validate_sensible_date],
        help_text=_("Empty: the first day with a free time."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"), choices=PART_CHOICES, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, topics, digipunten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["digipunt"].queryset = digipunten


class WalkInForm(forms.Form):
    topic = TopicChoiceField(queryset=Topic.objects.none(), label=_("Topic"))
    language = forms.ChoiceField(choices=list(SPOKEN_LANGUAGES.items()), label=_("Language of the citizen"))
    name = forms.CharField(label=_("First name (optional)"), max_length=60, required=False)

    def __init__(self, *args, topics, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        if municipality is not None:
            # The default is the municipality's language, not the staff member's screen language:
            # say so next to the choice, so nobody sends a Dutch citizen English by accident.
            self.fields["language"].help_text = _("Preset to the language of %(municipality)s.") % {
                "municipality": municipality.name
            }


class WaitlistForm(forms.Form):
    """The caller's wish when nothing fits: which weekdays and which part of the day suit them."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days that suit the caller"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any day."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"), choices=PART_CHOICES, required=False, widget=forms.RadioSelect
    )
