from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "fyren.flags"
    label = "flags"
    verbose_name = "Flags"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.accounts.hooks import register_urgent_counter

        from .selectors import urgent_counts_by_unit

        register_urgent_counter(urgent_counts_by_unit)
