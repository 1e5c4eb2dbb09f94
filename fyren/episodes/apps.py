from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "fyren.episodes"
    label = "episodes"
    verbose_name = "Care episodes"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.care import signals as care_signals

        from . import receivers

        care_signals.enrolment_started.connect(receivers.on_enrolment_started, dispatch_uid="episodes.started")
        care_signals.enrolment_ended.connect(receivers.on_enrolment_ended, dispatch_uid="episodes.ended")
