import re
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .request_context import (
    end_request_scope,
    reset_request_id,
    set_request_id,
    start_request_scope,
)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from the proxy).

    The id is written into each access-log entry and echoed in the response, so an
    entry can be traced to the request that caused it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        scope = start_request_scope()
        try:
            response = self.get_response(request)
        finally:
            end_request_scope(scope)
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


PREFERRED_LANGUAGE_KEY = "fyren_preferred_language"


def set_language_cookie(response, language: str) -> None:
    """The language cookie as Django's set_language view sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LanguageMiddleware(LocaleMiddleware):
    """Swedish unless the visitor has chosen another language in Fyren.

    Django's LocaleMiddleware would also follow the browser's Accept-Language;
    many Swedes run English browsers, so the language is only ever an explicit
    choice: the language cookie (the menu in the header, the offer bar), else the
    language the logged-in user chose before (set at login). The browser's
    preference decides what is offered first (``fyren.lib.languages``)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES) and hasattr(request, "session"):
            chosen = request.session.get(PREFERRED_LANGUAGE_KEY)  # a citizen's preference, set at login
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class UnstorableInputMiddleware:
    """Refuse a request whose form or address holds a NUL character: no text a
    person types contains one, the database cannot store it (PostgreSQL refuses
    it outright), and it has broken pages that save drafts of raw input. The
    answer is a 400 that says so, before any view stores anything; autosave
    requests get it as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            message = _("The form held a character that cannot be stored (a NUL character). Nothing was saved.")
            if request.headers.get("X-Autosave") == "1":
                return JsonResponse({"ok": False, "message": message}, status=400)
            return render(request, "errors/400.html", {"message": message}, status=400)
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query)
