from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpRequestsConfig(AppConfig):
    name = "help_requests"
    verbose_name = _("Help requests and statistics")

    def ready(self):
        from help_requests import citizen_data
        from help_requests.models import HelpRequest
        from helpdesk import citizen_data as registry
        from privacy import audit

        audit.watch(HelpRequest, audit.Subject.HELP_REQUEST)
        registry.register(citizen_data.HOLDER)
