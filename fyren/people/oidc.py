"""OpenID Connect login for citizens through an e-ID broker (BankID, Freja):
matched on the Swedish claims ``https://id.oidc.se/claim/personalIdentityNumber``
or ``…/coordinationNumber`` and registered on first login. The flow and the
staff backend are ``accounts.oidc``."""

from django.core.exceptions import SuspiciousOperation
from django.db import transaction

from fyren.accounts.models import User
from fyren.accounts.oidc import FyrenOIDCBackend

from .identity import InvalidIdentityNumber, parse_identity_number
from .models import Citizen
from .services import citizen_create

CLAIM_PERSONAL_NUMBER = "https://id.oidc.se/claim/personalIdentityNumber"
CLAIM_COORDINATION_NUMBER = "https://id.oidc.se/claim/coordinationNumber"


class CitizenOIDCBackend(FyrenOIDCBackend):
    audience = "citizen"

    def _identity(self, claims):
        raw = claims.get(CLAIM_PERSONAL_NUMBER) or claims.get(CLAIM_COORDINATION_NUMBER)
        if not raw:
            raise SuspiciousOperation("The e-ID provider sent no personal identity number.")
        try:
            return parse_identity_number(str(raw))
        except InvalidIdentityNumber as exc:
            raise SuspiciousOperation(f"The e-ID provider sent an invalid identity number: {exc}") from None

    def filter_users_by_claims(self, claims):
        identity = self._identity(claims)
        return User.objects.filter(citizen__identity_number=identity.digits, kind=User.Kind.CITIZEN, is_active=True)

    def create_user(self, claims):
        identity = self._identity(claims)
        with transaction.atomic():
            existing = Citizen.objects.select_for_update().filter(identity_number=identity.digits).first()
            if existing is not None:
                # Registered by care staff before their first login: give them a login now.
                if existing.user is None:
                    existing.user = User.objects.create(
                        username=User.new_citizen_username(),
                        kind=User.Kind.CITIZEN,
                        first_name=existing.given_name,
                        last_name=existing.family_name,
                    )
                    existing.save(update_fields=["user"])
                return existing.user
            citizen = citizen_create(
                actor=None,
                identity_number=identity.digits,
                given_name=claims.get("given_name") or "",
                family_name=claims.get("family_name") or "",
            )
        return citizen.user
