from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "fyren.clinic"
    label = "clinic"
