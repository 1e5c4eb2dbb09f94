from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fyren.audit"
    label = "audit"
