from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "voice"

    def ready(self):
        from helpdesk import citizen_data as registry
        from voice import citizen_data

        registry.register(citizen_data.HOLDER)
