from django.apps import AppConfig


class JournalConfig(AppConfig):
    """The journal note: what happened in an enrolment over a period, summarised
    for the medical record (questionnaires, scores, modules, messages, flags) and
    marked as exported, so the same period is never documented twice."""

    name = "fyren.journal"
    label = "journal"
