from django import forms
from django.contrib import admin

from guides import rendering
from guides.models import Guide
from helpdesk.admin import ScopedAdminMixin


class GuideAdminForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = [
            "municipality",
            "title",
            "topics",
            "language",
            "what_to_bring",
            "body_markdown",
            "status",
            "shared",
            "reviewed_on",
        ]

    def clean_body_markdown(self):
        body = self.cleaned_data["body_markdown"]
        problems = rendering.problems(body)
        if problems:
            raise forms.ValidationError(problems)
        return body


@admin.register(Guide)
class GuideAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = GuideAdminForm
    list_display = ["title", "municipality", "language", "status", "shared", "reviewed_on"]
    list_filter = ["status", "language", "shared"]
    search_fields = ["title"]
    filter_horizontal = ["topics"]
    # Read-only: a copy points at another municipality's guide, which the scoped choice list of
    # a coordinator would refuse on every save.
    readonly_fields = ["copied_from", "reviewed_by", "created_by"]
