from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "fyren.scheduler"
    label = "scheduler"
    verbose_name = "Scheduled jobs"
