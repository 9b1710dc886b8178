from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from conversations.simulators import refuse_real_number
from helpdesk.phones import REGION


class CallSimulatorForm(forms.Form):
    action = forms.ChoiceField(choices=[("call", "call"), ("press", "press")], widget=forms.HiddenInput)
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Municipality"), empty_label=None, required=False
    )
    phone = PhoneNumberField(
        region=REGION,
        label=_("Calling from"),
        required=False,
        help_text=_("A made-up number such as 0470 00 00 01; leave it empty for a withheld number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    keys = forms.CharField(
        label=_("Keys"),
        max_length=20,
        required=False,
        validators=[RegexValidator(r"^[0-9*#]*$", _("Only the keys 0 to 9, * and #."))],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        municipality, phone = data.get("municipality"), data.get("phone")
        if data.get("action") == "call" and municipality is None:
            self.add_error("municipality", _("Choose a municipality."))
        refuse_real_number(self, municipality, phone)
        return data
