from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "fyren.clinic"
    label = "clinic"

    def ready(self) -> None:
        from fyren.accounts.hooks import register_unit_menu

        from .menu import unit_menu

        register_unit_menu(unit_menu)
