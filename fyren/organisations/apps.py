from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "fyren.organisations"
    label = "organisations"
