from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    default = True
    name = "helpdesk"
    verbose_name = _("Digipunt Helpdesk")

    def ready(self):
        from helpdesk import principal

        principal.connect()


class HelpdeskAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "helpdesk.admin_site.HelpdeskAdminSite"
