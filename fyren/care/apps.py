from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "fyren.care"
    label = "care"
