"""Who a bearer token acts for, and what it may read: shared by the REST API and
the FHIR server.

- a citizen's token (``patient/…`` scopes) reads that citizen's own data;
- a staff member's token (``user/…``) reads the patients in care at the units
  where they work as a clinician (not through emergency access: that is opened
  on the site, with a reason);
- a record system's client-credentials token (``system/…``) reads the patients
  in care at the one unit its client is bound to (``UnitClient``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from ninja.throttling import SimpleRateThrottle
from oauth2_provider.models import AccessToken

from fyren.accounts.permissions import units_where
from fyren.accounts.roles import Role
from fyren.people.selectors import citizen_of_user

from .models import UnitClient
from .scopes import allowed


@dataclass
class Access:
    context: str  # "patient", "user" or "system"
    token: AccessToken
    scopes: set[str]
    client: str
    user: object | None = None
    citizen: object | None = None
    units: list = field(default_factory=list)

    def allows(self, resource: str, interaction: str = "s") -> bool:
        """A scope of the token's context lets it ``interaction`` (``r`` read,
        ``s`` search) ``resource`` (fyren/api/scopes.py)."""
        return self.narrowing(resource, interaction) is not None

    def narrowing(self, resource: str, interaction: str = "s") -> dict | None:
        """The search parameters a narrowed scope adds to every ``interaction`` of
        ``resource`` ({} when none); None when no scope allows it."""
        found = allowed(self.scopes, self.context, resource, interaction)
        return None if found is None else (found[0] if found else {})

    @property
    def actor(self):
        """The user the access log names (None for a record system: "system via <client>")."""
        return self.user if self.context != "system" else None


def bearer_token(request) -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, value = header.partition(" ")
    return value.strip() or None if kind.lower() == "bearer" else None


def token_access(token: str | None) -> Access | None:
    """The access a live token gives (None when missing, expired, revoked, or
    held by a deactivated user or an unbound client)."""
    if not token:
        return None
    found = AccessToken.objects.select_related("user", "application").filter(token=token).first()
    if found is None or found.expires < timezone.now():
        return None
    scopes = set(found.scope.split())
    client = found.application.name if found.application else "API"
    user = found.user
    if user is None:
        binding = UnitClient.objects.select_related("unit__region").filter(application=found.application_id).first()
        if binding is None or not binding.unit.is_active_on():
            return None
        return Access("system", found, scopes, client, units=[binding.unit])
    if not user.is_active:
        return None
    if user.is_staff_member:
        return Access("user", found, scopes, client, user=user, units=list(units_where(user, Role.CLINICIAN)))
    return Access("patient", found, scopes, client, user=user, citizen=citizen_of_user(user))


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client (the OAuth application, whoever it acts for), counted
    in Django's cache: shared by every app server when the cache is (Redis);
    per process with the default local-memory cache."""

    scope = "api-client"

    def __init__(self):
        super().__init__(settings.FYREN_API_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.FYREN_API_RATE  # read each time: the setting may change without a restart (tests)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        access = getattr(request, "api_access", None)
        if access is None or access.token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": access.token.application_id}
