from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "fyren.lib"
    label = "lib"
