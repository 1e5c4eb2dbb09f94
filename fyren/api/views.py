"""The API's own pages: its documentation (from the OpenAPI document, no
scripts) and the SMART configuration apps discover the authorisation server by."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView

from fyren.accounts.decorators import staff_is_strongly_authenticated
from fyren.lib.http import id_or_none

from . import scopes as smart_scopes
from . import services
from .endpoints import api
from .oauth import context_of, grant_for, has_access
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
            "issuer": oauth2_settings.oidc_issuer(request),
            "jwks_uri": absolute(reverse("oauth2_provider:jwks-info")),
            "userinfo_endpoint": absolute(reverse("oauth2_provider:user-info")),
            "introspection_endpoint": absolute(reverse("oauth2_provider:introspect")),
            "authorization_endpoint": absolute(reverse("oauth2_provider:authorize")),
            "token_endpoint": absolute(reverse("oauth2_provider:token")),
            "revocation_endpoint": absolute(reverse("oauth2_provider:revoke-token")),
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
            "scopes_supported": [str(scope) for scope in SCOPES],
            "response_types_supported": ["code"],
            "capabilities": [
                "launch-standalone",
                "sso-openid-connect",
                "context-standalone-patient",
                "client-public",
                "client-confidential-symmetric",
                "client-confidential-asymmetric",
                "permission-offline",
                "permission-online",
                "permission-patient",
                "permission-user",
                "permission-v1",
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


RESOURCE_NAMES = {
    "Patient": gettext_lazy("personal details"),
    "Practitioner": gettext_lazy("care staff"),
    "Organization": gettext_lazy("care units"),
    "Questionnaire": gettext_lazy("questionnaires"),
    "QuestionnaireResponse": gettext_lazy("questionnaire answers"),
    "Observation": gettext_lazy("results and scores"),
    "CarePlan": gettext_lazy("programs and care plans"),
    "Goal": gettext_lazy("goals"),
    "CareTeam": gettext_lazy("care teams"),
    "EpisodeOfCare": gettext_lazy("care episodes"),
    "ServiceRequest": gettext_lazy("care requests"),
    "Schedule": gettext_lazy("schedules"),
    "Slot": gettext_lazy("times"),
    "Appointment": gettext_lazy("visits"),
    "Communication": gettext_lazy("messages"),
    "DocumentReference": gettext_lazy("journal notes"),
    "Group": gettext_lazy("patient groups (how many, not who)"),
    "AuditEvent": gettext_lazy("who has read your data"),
    "Flag": gettext_lazy("flags"),
    "*": gettext_lazy("everything"),
}


def scope_label(scope: str) -> str:
    """What a scope lets an app do, in words for the person asked to approve it."""
    context, _slash, rest = scope.partition("/")
    resource = rest.rsplit(".", 1)[0]
    if not rest or resource not in RESOURCE_NAMES:
        return {
            "openid": _("Know who you are"),
            "fhirUser": _("Know who you are"),
            "profile": _("Know your name"),
            "launch/patient": _("Know which patient the app works with"),
            "offline_access": _("Keep its access when you are not using it, until you take it back"),
            "online_access": _("Keep its access while you use it"),
        }.get(scope, scope)
    what = RESOURCE_NAMES[resource]
    if context == "patient":
        return _("Read your own data: %(what)s") % {"what": what}
    if context == "user":
        return _("Read what you may read at work: %(what)s") % {"what": what}
    return _("Read the care unit's data: %(what)s") % {"what": what}


class FyrenAuthorizationView(AuthorizationView):
    """The approval page of the authorisation server: after the same login as the
    site (a citizen by e-ID; staff with their second factor), in Fyren's layout,
    each scope said in words."""

    template_name = "api/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_staff_member and not staff_is_strongly_authenticated(request):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def validate_authorization_request(self, request):
        """The scopes this person may grant of those asked for; none to grant is a
        refusal said on the page, never a token that then fails every read."""
        asked, credentials = super().validate_authorization_request(request)
        application = get_application_model().objects.filter(client_id=credentials.get("client_id")).first()
        granted = grant_for(asked, client=application, user=request.user)
        if not has_access(granted):
            raise _Refused(_refusal(asked, context_of(request.user)))
        return granted, credentials

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except _Refused as refusal:
            return render(request, self.template_name, {"error": {"description": str(refusal)}}, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("scopes"):
            context["scopes_descriptions"] = [scope_label(s) for s in context["scopes"]]
        return context


class _Refused(Exception):
    pass


def _refusal(asked: list[str], context: str | None) -> str:
    contexts = {scope.context for scope in smart_scopes.clinical(asked)}
    if context == "user" and "patient" in contexts:
        return _(
            "The app asks to read a patient's own data (patient/ scopes). A staff account lets an app read what "
            "you may read at work (user/ scopes). Ask the app's supplier to ask for user/ scopes, or open the app "
            "from the record system with the patient chosen there."
        )
    if context == "patient" and contexts & {"user", "system"}:
        return _("The app is made for care staff or record systems: it asks for nothing a citizen can give.")
    return _("The app asks for nothing Fyren can give: no data it may read is named in its request.")
