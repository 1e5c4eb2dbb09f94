"""Reads of API access: the apps a person has let into their account."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken


@dataclass
class ConnectedApp:
    application: Application
    scopes: set[str]
    since: object  # the first token's time


def connected_apps_of(user) -> list[ConnectedApp]:
    """Apps with a live access token or an unrevoked refresh token of ``user``."""
    found: dict[int, ConnectedApp] = {}
    live = AccessToken.objects.filter(user=user, expires__gt=timezone.now()).select_related("application")
    for token in live:
        app = found.setdefault(token.application_id, ConnectedApp(token.application, set(), token.created))
        app.scopes |= set(token.scope.split())
        app.since = min(app.since, token.created)
    for refresh in RefreshToken.objects.filter(Q(user=user) & Q(revoked__isnull=True)).select_related("application"):
        found.setdefault(refresh.application_id, ConnectedApp(refresh.application, set(), refresh.created))
    return sorted(found.values(), key=lambda a: a.application.name)
