"""The API's own pages: its documentation (from the OpenAPI document, no
scripts) and the SMART configuration apps discover the authorisation server by."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_is_strongly_authenticated
from fyren.lib.http import id_or_none

from . import services
from .endpoints import api
from .selectors import connected_apps_of

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


def connected_apps(request):
    """The apps a person has let into their account, and revoking one (its
    tokens end at once). Citizens and staff alike (staff with both factors)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_staff_member and not staff_is_strongly_authenticated(request):
        raise Http404
    if request.method == "POST":
        app = services.connected_app_revoke(actor=request.user, application_id=id_or_none(request.POST.get("app")))
        messages.success(request, _("%(app)s no longer has access to your account.") % {"app": app.name})
        return redirect("connected_apps")
    return render(request, "api/connected_apps.html", {"apps": connected_apps_of(request.user)})
