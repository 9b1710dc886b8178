from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from helpdesk import access


class HelpdeskAdminSite(admin.AdminSite):
    """The admin follows the helpdesk's roles: coordinators enter without Django's is_staff flag,
    through the site's own login page (the admin's would insist on is_staff)."""

    def has_permission(self, request):
        return access.can_use_admin(request.user)

    def login(self, request, extra_context=None):
        if self.has_permission(request):
            return redirect("admin:index")
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), settings.LOGIN_URL)
