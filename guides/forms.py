from django import forms
from django.utils.translation import gettext_lazy as _

from guides.models import Guide, GuideFeedback, GuideImage
from helpdesk.languages import Language
from helpdesk.models import Topic


class TopicChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TopicChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = TopicChoice(
        queryset=Topic.objects.none(), required=False, label=_("Topic"), empty_label=_("All topics")
    )
    language = forms.ChoiceField(
        choices=[("", _("All languages")), *Language.choices], required=False, label=_("Language")
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["topic"].to_field_name = "code"
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})


class GuideForm(forms.ModelForm):
    """Validation beyond the fields (Markdown, topics) is in guides.services."""

    topics = TopicChoices(
        queryset=Topic.objects.none(), label=_("Topics"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Guide
        fields = ["title", "topics", "language", "what_to_bring", "body_markdown", "status", "shared"]
        widgets = {"body_markdown": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, topics, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        if municipalities is not None and municipalities.count() > 1:
            self.fields["municipality"] = forms.ModelChoiceField(
                queryset=municipalities, label=_("Municipality"), empty_label=None
            )


class ImageForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Screenshot"),
        help_text=_("PNG, JPEG, WebP or GIF, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )

    class Meta:
        model = GuideImage
        fields = ["file", "alt_text"]


class FeedbackForm(forms.Form):
    """Part of the log-help form: did a guide help in this session?"""

    guide = forms.ModelChoiceField(
        queryset=Guide.objects.none(), required=False, label=_("Guide used"), empty_label=_("No guide used")
    )
    verdict = forms.ChoiceField(
        choices=GuideFeedback.Verdict.choices,
        required=False,
        label=_("How was the guide?"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, guides, **kwargs):
        super().__init__(*args, prefix="guide", **kwargs)
        self.fields["guide"].queryset = guides

    def clean(self):
        data = super().clean()
        if data.get("guide") and not data.get("verdict"):
            self.add_error("verdict", _("Say whether the guide helped or is outdated."))
        if data.get("verdict") and not data.get("guide"):
            self.add_error("guide", _("Choose the guide you used."))
        return data
