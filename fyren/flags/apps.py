from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "fyren.flags"
    label = "flags"
    verbose_name = "Flags"

    def ready(self):
        from fyren.accounts.hooks import register_urgent_counter

        from .selectors import urgent_counts_by_unit

        register_urgent_counter(urgent_counts_by_unit)
