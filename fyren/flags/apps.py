from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "fyren.flags"
    label = "flags"
    verbose_name = "Flags"
