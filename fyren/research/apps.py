from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "fyren.research"
    label = "research"
    verbose_name = "Research projects and pseudonymised exports"
