from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    default = True
    name = "helpdesk"
    verbose_name = _("Digipunt Helpdesk")

    def ready(self):
        from helpdesk import mail, principal  # noqa: F401  (mail registers its job)

        principal.connect()


class HelpdeskAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "helpdesk.admin_site.HelpdeskAdminSite"
