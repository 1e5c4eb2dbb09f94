from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "fyren.questionnaires"
    label = "questionnaires"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.care.summary import register_activity

        from .summary import last_response_completed

        register_activity(last_response_completed)
