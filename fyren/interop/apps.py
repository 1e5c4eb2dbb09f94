from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "fyren.interop"
    label = "interop"
