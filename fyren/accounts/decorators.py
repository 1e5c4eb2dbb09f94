from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

AUTH_METHOD_KEY = "fyren_auth_method"
STRONG_STAFF_METHODS = {"oidc", "demo", "smart-launch"}


def staff_is_strongly_authenticated(request) -> bool:
    """Staff need two factors: TOTP verified in this session (django-otp), or an
    IdP login (SITHS through OIDC), or the demo e-ID."""
    user = request.user
    if not (user.is_authenticated and user.is_staff_member and user.is_active):
        return False
    return bool(user.is_verified()) or request.session.get(AUTH_METHOD_KEY) in STRONG_STAFF_METHODS


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_is_strongly_authenticated(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_citizen:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
