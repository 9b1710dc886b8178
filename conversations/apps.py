from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        from conversations import citizen_data, menus
        from helpdesk import citizen_data as registry

        registry.register(citizen_data.HOLDER)
        menus.connect()
