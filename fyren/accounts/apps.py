from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fyren.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="fyren_preferred_language")


def _remember_language(sender, request, user, **kwargs):
    """At login, the language the user chose before (on any device) becomes the
    session's; a choice made in this browser (the language cookie) still comes first."""
    from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY

    from .selectors import remembered_language

    language = remembered_language(user)
    if language and request is not None and hasattr(request, "session"):
        request.session[PREFERRED_LANGUAGE_KEY] = language
