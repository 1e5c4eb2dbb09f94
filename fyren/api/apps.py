from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fyren.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        from django.db.models.signals import pre_save
        from oauth2_provider.models import get_application_model

        pre_save.connect(_signs_rs256, sender=get_application_model(), dispatch_uid="fyren_app_signs_rs256")

        from .subscription_triggers import connect

        connect()  # what the feature apps save becomes subscription events (subscriptions.py)

        from fyren.journal.delivery import register

        from .journal_delivery import PROVIDER

        register(PROVIDER)  # journal notes go to the unit's subscribed record systems


def _signs_rs256(sender, instance, **kwargs):
    """An app registered without a signing algorithm signs its ID tokens RS256 with
    Fyren's managed key (fyren/lib/signing_key.py); one chosen by the operator stays."""
    if not instance.algorithm:
        instance.algorithm = instance.RS256_ALGORITHM
