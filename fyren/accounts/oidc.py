"""OpenID Connect login for citizens (e-ID broker: BankID, Freja) and staff
(SITHS IdP), built on mozilla-django-oidc.

Two providers can be configured at once, each from its own environment
variables (``FYREN_OIDC_CITIZEN_*`` and ``FYREN_OIDC_STAFF_*``, see README). Both
use the authorization code flow with PKCE and a nonce. Citizens are matched on
the Swedish claims ``https://id.oidc.se/claim/personalIdentityNumber`` or
``…/coordinationNumber`` and registered on first login; staff are matched on a
configurable claim (``FYREN_OIDC_STAFF_CLAIM``, e.g. the HSA-id) and must already
exist. The citizens' backend is ``people.oidc.CitizenOIDCBackend`` (it registers
citizens, who stand above the logins).
"""

import logging

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .decorators import AUTH_METHOD_KEY
from .models import User

LOG = logging.getLogger(__name__)

_DEFAULTS = {
    "OIDC_STATE_SIZE": 32,
    "OIDC_NONCE_SIZE": 32,
    "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_CREATE_USER": True,
    "LOGIN_REDIRECT_URL": "accounts:start",
}


def _audience_settings(audience: str, attr: str, *args):
    config = settings.FYREN_OIDC.get(audience)
    if config is None:
        raise Http404
    if attr == "OIDC_AUTHENTICATION_CALLBACK_URL":
        return f"accounts:oidc_{audience}_callback"
    if attr == "LOGIN_REDIRECT_URL_FAILURE":  # used as a URL as it is, so reverse it here
        return reverse("accounts:oidc_failed")
    if attr in config:
        return config[attr]
    if attr in _DEFAULTS:
        return _DEFAULTS[attr]
    if args:
        return args[0]
    return getattr(settings, attr)


class _AudienceMixin:
    audience = ""

    def get_settings(self, attr, *args):
        return _audience_settings(self.audience, attr, *args)


class FyrenOIDCBackend(_AudienceMixin, OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Both backends are installed; each answers only its own callback URL.
        if request is None or request.path != reverse(f"accounts:oidc_{self.audience}_callback"):
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return True


class StaffOIDCBackend(FyrenOIDCBackend):
    audience = "staff"

    def filter_users_by_claims(self, claims):
        value = claims.get(settings.FYREN_OIDC_STAFF_CLAIM)
        if not value:
            return User.objects.none()
        return User.objects.filter(kind=User.Kind.STAFF, is_active=True, hsa_id=value)

    def create_user(self, claims):
        # Staff are provisioned by an access admin; an unknown staff identity may not log in.
        LOG.warning("Staff OIDC login refused: no active staff member matches the claim.")
        return None


class OIDCStartView(_AudienceMixin, OIDCAuthenticationRequestView):
    pass


class OIDCCallbackView(_AudienceMixin, OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        self.request.session[AUTH_METHOD_KEY] = "oidc"
        return response


def oidc_views(audience: str):
    start = type(f"{audience.title()}OIDCStartView", (OIDCStartView,), {"audience": audience}).as_view()
    callback = type(f"{audience.title()}OIDCCallbackView", (OIDCCallbackView,), {"audience": audience}).as_view()
    return start, callback
