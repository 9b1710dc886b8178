from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from helpdesk import dates
from helpdesk.languages import SPOKEN_LANGUAGES
from helpdesk.models import Digipunt, Municipality, Topic
from volunteers.models import STAFF_NOTES_MAX_LENGTH, Absence, Application, Availability, Volunteer

LANGUAGE_CHOICES = list(SPOKEN_LANGUAGES.items())


class LanguagesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", LANGUAGE_CHOICES)
        super().__init__(**kwargs)


class TopicsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Topic.objects.filter(is_active=True, municipality__isnull=True))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name


class ApplicationForm(forms.ModelForm):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(), label=_("Municipality where you want to help")
    )
    languages = LanguagesField(label=_("Languages you speak"))
    topics = TopicsField(label=_("Topics you can help with (you learn the rest on the job)"))
    consent = forms.BooleanField(
        label=_("I agree that the municipality keeps these details to handle my application."),
        error_messages={"required": _("We need your agreement to handle your application.")},
    )

    class Meta:
        model = Application
        fields = [
            "municipality",
            "first_name",
            "last_name",
            "email",
            "phone",
            "languages",
            "topics",
            "motivation",
        ]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["phone"].help_text = _("A mobile number, such as 0470 12 34 56.")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        # The database refuses a second pending application too (see Application.Meta); this says
        # it kindly before the form is saved.
        cleaned = super().clean()
        pending = Application.objects.filter(
            municipality=cleaned.get("municipality"), status=Application.Status.PENDING
        )
        if cleaned.get("email") and pending.filter(email__iexact=cleaned["email"]).exists():
            self.add_error("email", _("An application with this e-mail address is already waiting."))
        if cleaned.get("phone") and pending.filter(phone=cleaned["phone"]).exists():
            self.add_error("phone", _("An application with this phone number is already waiting."))
        return cleaned


class DecisionForm(forms.Form):
    digipunten = forms.ModelMultipleChoiceField(
        queryset=Digipunt.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Digipunten where this volunteer will help"),
    )
    decline_reason = forms.CharField(
        required=False,
        max_length=300,
        label=_("Reason (when declining)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, digipunten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digipunten"].queryset = digipunten


class VolunteerForm(forms.ModelForm):
    """The profile as the home municipality's staff edit it. Saved by the view with
    `save(commit=False)`, then `save_topics()` and blocks.set_digipunten()."""

    languages = LanguagesField(label=_("Languages"))
    topics = TopicsField(label=_("Topics"))

    class Meta:
        model = Volunteer
        fields = [
            "status",
            "phone",
            "languages",
            "topics",
            "is_generalist",
            "digipunten",
            "max_hours_per_week",
            "staff_notes",
        ]
        widgets = {
            "digipunten": forms.CheckboxSelectMultiple,
            "staff_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, digipunten, **kwargs):
        super().__init__(*args, **kwargs)
        notes = self.fields["staff_notes"]
        notes.max_length = STAFF_NOTES_MAX_LENGTH
        notes.validators.append(MaxLengthValidator(STAFF_NOTES_MAX_LENGTH))
        notes.widget.attrs["maxlength"] = str(STAFF_NOTES_MAX_LENGTH)
        self.fields["digipunten"].queryset = digipunten
        # Network topics and the home municipality's local ones.
        self.fields["topics"].queryset = Topic.objects.for_municipality(self.instance.municipality_id).filter(
            is_active=True
        )

    def save_topics(self) -> None:
        """Set the topics offered here; topics the form does not show stay as they were."""
        offered = self.fields["topics"].queryset
        kept = list(self.instance.topics.exclude(pk__in=offered))
        self.instance.topics.set([*kept, *self.cleaned_data["topics"]])


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = Availability
        fields = ["digipunt", "weekday", "starts", "ends"]
        widgets = {
            "starts": forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
            "ends": forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        }

    def __init__(self, *args, volunteer, digipunten, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.volunteer = volunteer
        self.fields["digipunt"].queryset = digipunten


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["start_date", "end_date", "reason"]
        widgets = {
            "start_date": dates.DateInput(),
            "end_date": dates.DateInput(),
        }

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.volunteer = volunteer
