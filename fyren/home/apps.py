from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "fyren.home"
    label = "home"
    verbose_name = "The citizen's start page"
