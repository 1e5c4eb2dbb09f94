"""Writes on API access: a person revokes an app's access to their account
(its access and refresh tokens end at once)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from oauth2_provider.models import AccessToken, Application, RefreshToken

from fyren.audit.services import audit_event_write


def connected_app_revoke(*, actor, application_id) -> Application:
    """End every token ``actor`` has given the app; an app they have not connected is 404."""
    with transaction.atomic():
        application = Application.objects.filter(pk=application_id).first()
        refresh = RefreshToken.objects.filter(user=actor, application=application, revoked__isnull=True)
        access = AccessToken.objects.filter(user=actor, application=application)
        if application is None or not (refresh.exists() or access.exists()):
            raise Http404
        for token in refresh:
            token.revoke()
        for token in access:
            token.revoke()
        audit_event_write(
            actor=actor, action="api.app.revoke", object_type="oauth2_provider.Application", object_id=application.pk
        )
    return application
