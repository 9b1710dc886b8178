from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "sms"

    def ready(self):
        from helpdesk import citizen_data as registry
        from sms import citizen_data, jobs, optout, receivers  # noqa: F401  (jobs and receivers register)

        optout.connect()
        registry.register(citizen_data.HOLDER)
