from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fyren.api"
    label = "api"
    verbose_name = "REST API"
