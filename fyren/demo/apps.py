from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fyren.demo"
    label = "demo"
    verbose_name = "Demo data"
