"""The REST API `/api/v1/` (django-ninja): the same services and logged
selectors as the pages, reached with an OAuth 2.0 bearer token from Fyren's own
authorisation server (django-oauth-toolkit) whose scopes are in the SMART App
Launch form. One error shape everywhere; forbidden looks like not found."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from fyren.lib.request_context import set_api_client

from .access import ClientRateThrottle, token_access
from .scopes import allowed, clinical


class Bearer(HttpBearer):
    """A live access token (not expired, not revoked); its user acts, its client
    is named in the access log, its scopes limit what the request may do."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        access = token_access(token)
        if access is None:
            return None
        if access.user is not None:
            request.user = access.user  # type: ignore[assignment]
        request.api_scopes = access.scopes  # type: ignore[attr-defined]
        request.api_access = access  # type: ignore[attr-defined]
        set_api_client(access.client)
        return access


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"where": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
    },
}
ERRORS = {
    "400": "The body could not be read (not JSON, or not the declared form)",
    "401": "No valid bearer token (missing, expired or revoked)",
    "403": "The token lacks the scope",
    "404": "Not found, or not yours to see",
    "422": "The request is not valid, or a rule refused it; nothing changed",
    "429": "Too many requests from this client (see Retry-After)",
}


class FyrenAPI(NinjaAPI):
    """The OpenAPI document also declares the one error shape every operation may answer with."""

    """The OpenAPI document also declares the one error shape every operation may
    answer with, the OAuth 2.0 flows that give a token (authorisation code with
    PKCE for a person's app, client credentials for a record system) and the
    scope each operation needs (from its ``@needs``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        components.setdefault("securitySchemes", {})["smart"] = _oauth_scheme()
        needed = self._scopes_by_operation()
        reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                for status, text in ERRORS.items():
                    operation["responses"].setdefault(status, {"description": text, **reference})
                scopes = needed.get(operation.get("operationId", ""))
                if scopes:
                    # Any one of the scopes will do (OpenAPI: a list of alternatives).
                    operation["security"] = [{"smart": [scope]} for scope in scopes]
        return schema

    def _scopes_by_operation(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    view: Any = operation.view_func
                    while view is not None and not hasattr(view, "fyren_scopes"):
                        view = getattr(view, "__wrapped__", None)
                    if view is not None:
                        operation_id = operation.operation_id or self.get_openapi_operation_id(operation)
                        found[operation_id] = view.fyren_scopes
        return found


def _oauth_scheme() -> dict:
    configured: dict[str, str] = dict(settings.OAUTH2_PROVIDER["SCOPES"])  # type: ignore[call-overload]
    scopes = {name: str(text) for name, text in configured.items()}
    return {
        "type": "oauth2",
        "description": "Tokens from Fyren's authorisation server; SMART App Launch 2 scopes (docs/api.md).",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "/o/authorize/",
                "tokenUrl": "/o/token/",
                "refreshUrl": "/o/token/",
                "scopes": scopes,
                "x-pkce-required": True,
            },
            "clientCredentials": {"tokenUrl": "/o/token/", "scopes": scopes},
        },
    }


def needs(*scopes: str):
    """The operation needs one of ``scopes`` (checked first; declared in the OpenAPI document)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            require_scope(request, *scopes)
            return view(request, *args, **kwargs)

        wrapper.fyren_scopes = scopes  # type: ignore[attr-defined]
        # Ninja reads the annotations with the wrapper's module: give it the view's, resolved.
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return wrapper

    return decorate


api = FyrenAPI(
    title="Fyren API",
    version="1",
    description="Apps and record systems reach Fyren's data here; see docs/api.md.",
    auth=Bearer(),
    urls_namespace="api",
    docs_url=None,  # documented by our own page (no CDN scripts under the CSP)
    throttle=ClientRateThrottle(),
)


def error(request, status: int, code: str, message: str, details: list | None = None):
    """One shape for every error: {"error": {"code", "message", "details"}}."""
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "not_found", "No such resource.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):  # forbidden looks like not found
    return error(request, 404, "not_found", "No such resource.")


@api.exception_handler(OverflowError)
def id_out_of_range(request, exc):
    """An id in the address larger than the database's integers (SQLite raises
    OverflowError before asking): no such resource, not a server error."""
    return error(request, 404, "not_found", "No such resource.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = error(request, 401, "unauthenticated", "A valid bearer token is needed.")
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    details = [{"where": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
    return error(request, 422, "invalid", "The request is not valid.", details)


@api.exception_handler(ValidationError)
def refused(request, exc):
    """A service's refusal (bad input, a rule): what and why, nothing changed."""
    if hasattr(exc, "message_dict"):
        details = [{"where": field, "message": " ".join(msgs)} for field, msgs in exc.message_dict.items()]
    else:
        details = [{"where": "", "message": m} for m in exc.messages]
    return error(request, 422, "refused", " ".join(exc.messages), details)


@api.exception_handler(HttpError)
def http_error(request, exc):
    code = {400: "bad_request", 403: "insufficient_scope", 429: "rate_limited"}.get(exc.status_code, "error")
    return error(request, exc.status_code, code, str(exc))


def require_scope(request, *accepted: str) -> None:
    """The token must carry one of ``accepted`` (or a wildcard of the same context)."""
    granted: set[str] = getattr(request, "api_scopes", set())
    for wanted in clinical(list(accepted)):
        # A scope narrowed by search parameters is for the FHIR server, which applies them; not here.
        if any(allowed(granted, wanted.context, wanted.type, p) == [] for p in wanted.permissions):
            return
    raise HttpError(403, f"The token lacks the scope {' or '.join(accepted)}.")
