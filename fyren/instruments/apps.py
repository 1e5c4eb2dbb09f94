from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    """Questionnaires as instruments, with no patient in sight: the shipped
    library and a region's own, their items, scoring, alerts and translations,
    and the FHIR Questionnaire mapping. Below programs and care; what is sent to
    and answered by a citizen is ``questionnaires``."""

    name = "fyren.instruments"
    label = "instruments"

    def ready(self):
        # Read and check the shipped library now: a broken instrument file stops the start.
        from . import library  # noqa: F401
