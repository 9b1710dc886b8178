from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from conversations.simulators import refuse_real_number
from conversations.understanding import MAX_LENGTH
from helpdesk.phones import REGION


class SimulatorForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"), empty_label=None)
    phone = PhoneNumberField(
        region=REGION,
        label=_("Texting from"),
        help_text=_("Use a made-up mobile number such as 0470 00 00 01: the simulator sends no real SMS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        municipality, phone = data.get("municipality"), data.get("phone")
        refuse_real_number(self, municipality, phone)
        return data
