"""Citizens in the admin: scoped like every model there (helpdesk.admin), and each look audited
like any other look at personal data. The SMS opt-out can be recorded here, never lifted: only
the citizen does that, by texting START (sms.optout)."""

from django.contrib import admin
from django.utils.decorators import method_decorator

from helpdesk import access
from helpdesk.admin import ScopedAdminMixin
from helpdesk.models import Citizen
from privacy import audit

_audited = method_decorator(audit.audited_view(audit.Subject.CITIZEN, lookup="object_id"))


@admin.register(Citizen)
class CitizenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["phone", "name", "municipality", "language", "sms_opt_out", "last_contact_at"]
    search_fields = ["phone"]
    readonly_fields = ["created_at", "last_contact_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.sms_opt_out:
            fields.append("sms_opt_out")
        return fields

    @_audited
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    @_audited
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @_audited
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        """The change list and every search of citizens (autocomplete too) come through here."""
        results = super().get_search_results(request, queryset, search_term)
        audit.viewed_list(
            audit.Subject.CITIZEN,
            request.user,
            detail="admin search by phone" if search_term else "admin list",
            roles=access.CONFIG_ROLES,
        )
        return results
