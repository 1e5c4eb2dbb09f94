from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "fyren.messaging"
    label = "messaging"

    def ready(self):
        from fyren.care.summary import register_activity, register_count

        from .summary import last_message_sent, unread_messages

        register_activity(last_message_sent)
        register_count("unread", "unread_messages", unread_messages)
