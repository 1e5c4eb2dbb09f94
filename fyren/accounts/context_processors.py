from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from fyren.lib.languages import offer_for, ordered_for
from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY

from .display import display_classes


def fyren(request):
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")

    def offer():
        # Offered until the visitor has chosen (in this browser, or before logging in elsewhere).
        chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or (
            hasattr(request, "session") and PREFERRED_LANGUAGE_KEY in request.session
        )
        return None if chosen else offer_for(accept, get_language())

    return {
        "display_classes": SimpleLazyObject(lambda: display_classes(request)),
        "FYREN_DEMO": settings.DEMO,
        "FYREN_OIDC": settings.FYREN_OIDC,
        "page_languages": SimpleLazyObject(lambda: ordered_for(accept)),
        "language_offer": SimpleLazyObject(offer),
    }
