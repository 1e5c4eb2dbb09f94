from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "fyren.questionnaires"
    label = "questionnaires"
