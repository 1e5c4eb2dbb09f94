from django.apps import AppConfig

from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY


class PeopleConfig(AppConfig):
    name = "fyren.people"
    label = "people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_preferred_language, dispatch_uid="fyren_preferred_language")


def _remember_preferred_language(sender, request, user, **kwargs):
    citizen = getattr(user, "citizen", None) if getattr(user, "is_citizen", False) else None
    if citizen is not None and request is not None and hasattr(request, "session"):
        request.session[PREFERRED_LANGUAGE_KEY] = citizen.preferred_language
