from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and audit log")

    def ready(self):
        from helpdesk.models import Citizen
        from privacy import audit, jobs  # noqa: F401  (jobs registers the retention purge)

        # Consent is tracked: whoever changes the SMS opt-out, the entry says so.
        audit.watch(Citizen, audit.Subject.CITIZEN, tracked=("sms_opt_out",))
