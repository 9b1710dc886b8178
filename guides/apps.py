from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = _("Guides")

    def ready(self):
        from guides import checks, feedback, images  # noqa: F401 (checks and images register themselves)
        from help_requests import log_sections

        log_sections.register(feedback)
