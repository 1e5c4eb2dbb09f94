from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "fyren.messaging"
    label = "messaging"
