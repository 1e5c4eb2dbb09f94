"""Fyren's additions to django-oauth-toolkit: SMART App Launch 2's scopes and
patient context.

- Scopes are granted, not all-or-nothing (``scopes.granted``): what an app may
  have of what it asked for, in the context of who approves (a citizen:
  ``patient/``; staff: ``user/``; a record system's client: ``system/``). The
  token response's ``scope`` says what was granted. Nothing grantable left is
  ``invalid_scope``.
- A refresh token only for ``offline_access`` or ``online_access``.
- A token asked for with ``launch/patient`` by a citizen's app carries
  ``patient`` (the citizen's FHIR id) in the token response, as SMART
  standalone-launch apps expect.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from fyren.people.selectors import citizen_of_user

from . import client_auth, scopes
from .fhir_types import PROVIDERS

log = logging.getLogger(__name__)


def search_params() -> dict[str, tuple[str, ...]]:
    return {name: provider.params if provider.narrowable else () for name, provider in PROVIDERS.items()}


def context_of(user) -> str | None:
    """The scope context of whoever approves: None while not known."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return "user" if user.is_staff_member else "patient"


def _is_system(client) -> bool:
    return client is not None and client.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS


CONFIGURED: dict[str, str] = dict(settings.OAUTH2_PROVIDER["SCOPES"])  # type: ignore[call-overload]


def grant_for(requested: list[str], *, client, user) -> list[str]:
    """What is granted of ``requested`` to ``client`` approved by ``user``."""
    context = "system" if _is_system(client) else context_of(user)
    identity = bool(settings.OAUTH2_PROVIDER.get("OIDC_ENABLED"))  # type: ignore[attr-defined]
    return scopes.granted(requested, context=context, search_params=search_params(), identity=identity)


def has_access(granted: list[str]) -> bool:
    """A grant worth a token: some clinical scope (identity alone reads nothing)."""
    return bool(scopes.clinical(granted))


class Labels(dict):
    """Every scope's label: the configured ones, and any other granted scope as itself."""

    def __missing__(self, key):
        return key


class FyrenScopes(BaseScopes):
    """The scopes backend: every scope may be asked for (the validator grants
    what may be had); the default for an app that asks for none is the whole
    read access of its context."""

    def get_all_scopes(self):
        return Labels(CONFIGURED)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(CONFIGURED)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        if (
            application is not None
            and application.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS
        ):
            return ["system/*.rs"]
        return ["patient/*.rs", "user/*.rs"]


def fhir_user(user) -> str:
    """The FHIR resource a signed-in person is: a citizen's Patient, a staff member's Practitioner."""
    base = str(settings.FYREN_PUBLIC_URL or "").rstrip("/")
    if user.is_staff_member:
        return f"{base}/fhir/Practitioner/{user.pk}"
    citizen = citizen_of_user(user)
    return f"{base}/fhir/Patient/{citizen.pk}" if citizen is not None else ""


class FyrenOAuth2Validator(OAuth2Validator):
    # OpenID Connect: which scope releases which claim (fhirUser is SMART's).
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "fhirUser": "fhirUser"}

    def get_additional_claims(self, request):
        user = request.user
        claims = {"name": user.get_full_name(), "given_name": user.first_name, "family_name": user.last_name}
        citizen = None if user.is_staff_member else citizen_of_user(user)
        if citizen is not None:
            claims = {"name": citizen.full_name, "given_name": citizen.given_name, "family_name": citizen.family_name}
        claims = {k: v for k, v in claims.items() if v}
        found = fhir_user(user)
        if found:
            claims["fhirUser"] = found
        return claims

    def authenticate_client(self, request, *args, **kwargs):
        """A signed client assertion (SMART Backend Services, ``private_key_jwt``)
        when the request carries one; otherwise the client secret."""
        if getattr(request, "client_assertion_type", None) != client_auth.JWT_BEARER:
            return super().authenticate_client(request, *args, **kwargs)
        headers = request.headers or {}
        secure = bool(headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE"))
        host = headers.get("HTTP_HOST") or headers.get("SERVER_NAME", "")
        if not headers.get("HTTP_HOST") and str(headers.get("SERVER_PORT", "")) not in ("", "80", "443"):
            host = f"{host}:{headers['SERVER_PORT']}"
        audiences = client_auth.token_endpoint_addresses(urlsplit(request.uri).path, host, secure)
        try:
            application = client_auth.authenticate(getattr(request, "client_assertion", "") or "", audiences=audiences)
        except client_auth.Refused as refusal:
            log.info("A client assertion was refused: %s", refusal)
            return False
        request.client = application
        request.client_id = application.client_id
        return True

    def client_authentication_required(self, request, *args, **kwargs):
        if getattr(request, "client_assertion_type", None) == client_auth.JWT_BEARER:
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        asked = [s for s in scopes if s] or FyrenScopes().get_default_scopes(application=client)  # "scope=" is none
        granted = grant_for(asked, client=client, user=getattr(request, "user", None))
        request.scopes = granted
        return has_access(granted)

    def save_bearer_token(self, token, request, *args, **kwargs):
        granted = str(token.get("scope", "")).split()
        if not set(granted) & set(scopes.REFRESH):
            token.pop("refresh_token", None)  # SMART: a refresh token is asked for with offline_access
        result = super().save_bearer_token(token, request, *args, **kwargs)
        user = getattr(request, "user", None)
        if "launch/patient" in granted and user is not None and user.is_authenticated:
            citizen = citizen_of_user(user)
            if citizen is not None:
                token["patient"] = str(citizen.pk)  # oauthlib answers with this dict
        return result
