from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "fyren.questionnaires"
    label = "questionnaires"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.care import signals
        from fyren.care.journey import register_responses
        from fyren.care.summary import register_activity

        from . import receivers
        from .summary import last_response_completed

        register_activity(last_response_completed)
        register_responses(receivers.completed_responses)
        signals.enrolment_started.connect(receivers.on_enrolment_started, dispatch_uid="questionnaires.start")
        signals.enrolment_ended.connect(receivers.on_enrolment_ended, dispatch_uid="questionnaires.end")
        signals.module_opened.connect(receivers.on_module_opened, dispatch_uid="questionnaires.module")
        signals.enrolment_purging.connect(receivers.on_enrolment_purging, dispatch_uid="questionnaires.purge")
