from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "fyren.reporting"
    label = "reporting"
    verbose_name = "Follow-up and national reporting"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.care import signals as care_signals

        from . import receivers

        care_signals.enrolment_ended.connect(receivers.on_enrolment_ended, dispatch_uid="reporting.treatment")
