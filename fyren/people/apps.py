from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fyren.people"
    label = "people"
