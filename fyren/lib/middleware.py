import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .request_context import end_access_log_scope, reset_request_id, set_request_id, start_access_log_scope

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
        scope = start_access_log_scope()
        try:
            response = self.get_response(request)
        finally:
            end_access_log_scope(scope)
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


PREFERRED_LANGUAGE_KEY = "fyren_preferred_language"


class LanguageMiddleware(LocaleMiddleware):
    """Swedish unless the visitor has chosen another language in Fyren.

    Django's LocaleMiddleware would also follow the browser's Accept-Language;
    many Swedes run English browsers, so the language is only ever an explicit
    choice: the language cookie (the selector in the header), else the logged-in
    citizen's preferred language."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES) and hasattr(request, "session"):
            chosen = request.session.get(PREFERRED_LANGUAGE_KEY)  # a citizen's preference, set at login
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
