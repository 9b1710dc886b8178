from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from helpdesk.languages import SPOKEN_LANGUAGES
from helpdesk.models import Topic
from helpdesk.phones import REGION


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

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        # Most staff work for one municipality: then there is nothing to ask.
        self.only_municipality = municipalities[0] if len(municipalities) == 1 else None
        if self.only_municipality is not None:
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_municipality(self):
        return self.cleaned_data.get("municipality") or self.only_municipality


class NeedForm(forms.Form):
    topic = TopicChoiceField(queryset=Topic.objects.none(), label=_("What do they need help with?"))
    language = forms.ChoiceField(choices=list(SPOKEN_LANGUAGES.items()), label=_("Language"))
    digipunt = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Place"), empty_label=_("Any place")
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
