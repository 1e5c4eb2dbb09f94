from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "fyren.careplans"
    label = "careplans"
    verbose_name = "Care plans"
