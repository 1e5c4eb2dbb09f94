from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "fyren.programs"
    label = "programs"

    def ready(self):
        from .checks import register_check
        from .instrument_checks import imported_instruments_without_alerts

        register_check(imported_instruments_without_alerts)
