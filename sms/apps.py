from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "sms"

    def ready(self):
        from sms import optout

        optout.connect()
