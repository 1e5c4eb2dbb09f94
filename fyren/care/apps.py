from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "fyren.care"
    label = "care"

    def ready(self):
        from fyren.lib.signals import enrolment_changed

        from .summary import on_enrolment_changed

        enrolment_changed.connect(on_enrolment_changed, dispatch_uid="care.summary")
