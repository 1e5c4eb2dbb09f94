"""Fyren's additions to django-oauth-toolkit's validator: the SMART App Launch
patient context. A token asked for with ``launch/patient`` by a citizen's app
carries ``patient`` (the citizen's FHIR id) in the token response, as SMART
standalone-launch apps expect."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from fyren.people.selectors import citizen_of_user


class FyrenOAuth2Validator(OAuth2Validator):
    def save_bearer_token(self, token, request, *args, **kwargs):
        result = super().save_bearer_token(token, request, *args, **kwargs)
        user = getattr(request, "user", None)
        if "launch/patient" in str(token.get("scope", "")).split() and user is not None and user.is_authenticated:
            citizen = citizen_of_user(user)
            if citizen is not None:
                token["patient"] = str(citizen.pk)  # oauthlib answers with this dict
        return result
