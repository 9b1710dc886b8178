from django.contrib import admin

from helpdesk import access


class HelpdeskAdminSite(admin.AdminSite):
    """The admin follows the helpdesk's roles: coordinators enter without Django's is_staff flag."""

    def has_permission(self, request):
        return access.can_use_admin(request.user)
