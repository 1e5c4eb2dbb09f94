"""The API's own pages: its documentation (from the OpenAPI document, no
scripts) and the SMART configuration apps discover the authorisation server by."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from .endpoints import api

SCOPES: dict[str, str] = dict(settings.OAUTH2_PROVIDER["SCOPES"])  # type: ignore[call-overload]


def docs(request):
    schema = api.get_openapi_schema()
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "tags": op.get("tags", [])}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, "api/docs.html", {"operations": operations, "scopes": SCOPES})


def smart_configuration(request):
    """SMART App Launch 2 discovery: endpoints, scopes and capabilities."""
    absolute = request.build_absolute_uri
    return JsonResponse(
        {
            "issuer": absolute("/"),
            "authorization_endpoint": absolute(reverse("oauth2_provider:authorize")),
            "token_endpoint": absolute(reverse("oauth2_provider:token")),
            "revocation_endpoint": absolute(reverse("oauth2_provider:revoke-token")),
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": [str(scope) for scope in SCOPES],
            "response_types_supported": ["code"],
            "capabilities": [
                "launch-standalone",
                "client-public",
                "client-confidential-symmetric",
                "permission-patient",
                "permission-user",
                "permission-v2",
            ],
        }
    )
