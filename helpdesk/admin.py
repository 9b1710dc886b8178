"""Configuration through Django's admin, scoped: coordinators see and change their municipality only.

Every decision comes from helpdesk.access; superusers and network admins see everything.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from helpdesk import access
from helpdesk.models import Closure, Digipunt, Membership, Municipality, OpeningHours, OutboundEmail, Topic
from helpdesk.models.municipalities import ACCESSIBILITY_NOTES_MAX_LENGTH, find_overlap


class ScopedAdminMixin:
    """Rows, choices and permissions narrowed to what the user may configure."""

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user, access.CONFIG_ROLES)

    def has_module_permission(self, request):
        return access.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_use_admin(request.user) and (obj is None or access.can_configure(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return access.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        if hasattr(model, "municipality_path") and not access.is_network_admin(request.user):
            kwargs["queryset"] = access.scope(model.objects.all(), request.user, access.CONFIG_ROLES)
            if model is Municipality:
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        if hasattr(model, "municipality_path"):
            kwargs["queryset"] = access.scope(model.objects.all(), request.user, access.CONFIG_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or access.can_configure(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or access.can_configure(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class OpeningHoursFormSet(BaseInlineFormSet):
    """The week is checked as a whole: rows of one form against each other, not against the old
    rows still in the database (which this very form may be changing)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.validated_as_a_set = True
        return form

    def clean(self):
        super().clean()
        rows = [
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and all(form.cleaned_data.get(k) is not None for k in ("weekday", "opens", "closes"))
        ]
        overlap = find_overlap(rows)
        if overlap:
            raise ValidationError(
                _("Opening hours overlap: %(first)s and %(second)s.")
                % {
                    "first": f"{overlap[0][1]:%H:%M}-{overlap[0][2]:%H:%M}",
                    "second": f"{overlap[1][1]:%H:%M}-{overlap[1][2]:%H:%M}",
                }
            )


class OpeningHoursInline(ScopedInline):
    model = OpeningHours
    formset = OpeningHoursFormSet


class ClosureInline(ScopedInline):
    model = Closure
    fk_name = "digipunt"
    fields = ["start_date", "end_date", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-start_date")


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "default_language", "sms_number"]
    search_fields = ["name"]

    def has_add_permission(self, request, obj=None):
        return access.is_network_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_network_admin(request.user)


@admin.register(Digipunt)
class DigipuntAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "city", "desks", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    inlines = [OpeningHoursInline, ClosureInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "accessibility_notes":
            kwargs["max_length"] = ACCESSIBILITY_NOTES_MAX_LENGTH
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is Closure:
            for instance in formset.save(commit=False):
                instance.municipality_id = form.instance.municipality_id
                instance.save()
            for obj in formset.deleted_objects:
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Closure)
class ClosureAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["start_date", "end_date", "municipality", "digipunt", "reason"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "start_date"


@admin.register(Topic)
class TopicAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name_nl",
        "name_fr",
        "name_en",
        "default_duration_minutes",
        "municipality",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name_nl", "name_fr", "name_en"]

    def get_queryset(self, request):
        # Coordinators manage their local topics; the network-wide taxonomy is the network's.
        queryset = Topic.objects.all()
        if access.is_network_admin(request.user):
            return queryset
        ids = access.municipality_ids(request.user, access.CONFIG_ROLES)
        return queryset.filter(municipality_id__in=ids)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "municipality"]
    list_filter = ["role"]
    filter_horizontal = ["digipunten"]

    # Who holds which role is the network's to decide: coordinators get no add either.
    def has_module_permission(self, request):
        return access.is_network_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_network_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return access.is_network_admin(request.user)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """E-mails waiting to go out, or given up on (helpdesk/mail.py), to see why one did not
    arrive. Read-only, and without the text: an applicant's carries their set-password link."""

    list_display = ["to", "subject", "status", "attempts", "due_at", "last_error"]
    list_filter = ["status"]
    fields = ["municipality", "to", "subject", "status", "attempts", "due_at", "last_error", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Digipunt Helpdesk configuration")
admin.site.site_title = _("Digipunt Helpdesk")
