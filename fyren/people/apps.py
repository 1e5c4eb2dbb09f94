from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fyren.people"
    label = "people"

    def ready(self):
        from fyren.accounts.hooks import register_citizen_language

        from .selectors import citizen_user_language
        from .services import citizen_user_language_set

        register_citizen_language(citizen_user_language, citizen_user_language_set)
