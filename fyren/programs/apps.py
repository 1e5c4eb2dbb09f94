from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "fyren.programs"
    label = "programs"
