import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from fyren.lib.forms import form_call
from fyren.lib.http import next_or
from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY

from . import services
from .decorators import AUTH_METHOD_KEY, staff_required
from .display import COOKIES, display_settings
from .forms import DisplayForm, LicenceForm, LicenceRevokeForm, RoleAssignForm, StaffLoginForm, TotpConfirmForm
from .hooks import unit_menu, urgent_counts
from .models import Licence, RoleAssignment, User
from .permissions import active_assignments, role_managed_unit_or_404, units_where_roles_are_managed_by
from .roles import Role
from .selectors import licences_at, staff_at

PENDING_TOTP_USER_KEY = "fyren_totp_setup_user"
PENDING_TOTP_DEVICE_KEY = "fyren_totp_setup_device"


def home(request):
    if request.user.is_authenticated:
        return redirect("accounts:start")
    return render(request, "home.html")


def staff_login(request):
    """Local staff login: password and a TOTP code (django-otp). A user with no
    confirmed authenticator device is taken to set one up before logging in."""
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None and user.is_staff_member:
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                request.session.cycle_key()
                request.session[PENDING_TOTP_USER_KEY] = user.pk
                return redirect("accounts:totp_setup")
            device = django_otp.match_token(user, form.cleaned_data["otp_token"].strip())
            if device is not None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                django_otp.login(request, device)
                request.session[AUTH_METHOD_KEY] = "password+totp"
                return redirect(next_or(request, "accounts:start"))
            # A wrong code counts as a failed login for throttling.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        if not getattr(request, "axes_locked_out", False):
            form.add_error(None, _("The user name, password or code is wrong."))
    status = 200 if not form.errors else 400
    return render(request, "accounts/staff_login.html", {"form": form, "next": next_or(request, "")}, status=status)


def totp_setup(request):
    """First login: show a new TOTP secret as a QR code and confirm it with a code."""
    user_id = request.session.get(PENDING_TOTP_USER_KEY)
    user = User.objects.filter(pk=user_id, kind=User.Kind.STAFF, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    device = services.totp_device_pending(user=user, device_id=request.session.get(PENDING_TOTP_DEVICE_KEY))
    request.session[PENDING_TOTP_DEVICE_KEY] = device.pk
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["otp_token"]):
            del request.session[PENDING_TOTP_USER_KEY]
            del request.session[PENDING_TOTP_DEVICE_KEY]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            django_otp.login(request, device)
            request.session[AUTH_METHOD_KEY] = "password+totp"
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("accounts:start")
        form.add_error("otp_token", _("The code is wrong. Check the time on your phone and try again."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for the authenticator app"))
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/totp_setup.html", {"form": form, "qr_svg": mark_safe(qr_svg), "secret": secret})  # noqa: S308 - segno output


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("home")


def start(request):
    """The start page after login, by kind of user and roles."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_citizen:
        return redirect("home:overview")
    return staff_start(request)


@staff_required
def staff_start(request):
    assignments = list(active_assignments(request.user).select_related("unit", "region").order_by("unit__name", "role"))
    by_unit: dict = {}
    regions = []
    research_regions = []
    national = False
    for assignment in assignments:
        if assignment.unit is not None:
            by_unit.setdefault(assignment.unit, []).append(assignment.role)
        elif assignment.role == Role.NATIONAL_ANALYST:
            national = True
        elif assignment.role == Role.DATA_ADMIN:
            research_regions.append(assignment.region)
        else:
            regions.append(assignment.region)
    managed_units = list(units_where_roles_are_managed_by(request.user).select_related("region")) if regions else []
    return render(
        request,
        "accounts/staff_start.html",
        {
            "by_unit": by_unit,
            "unit_menus": [(unit, roles, unit_menu(unit, set(roles))) for unit, roles in by_unit.items()],
            "regions": regions,
            "research_regions": research_regions,
            "national": national,
            "managed_units": managed_units,
            "Role": Role,
            "urgent_counts": _urgent_flag_counts(request.user, by_unit),
        },
    )


def _urgent_flag_counts(user, by_unit) -> dict:
    """How many urgent flags wait at each unit where the user works with patients
    (counts only, no patient data; the flags app supplies them, see hooks.py)."""
    units = [u for u, roles in by_unit.items() if {Role.CLINICIAN, Role.ENROLMENT_ADMIN} & set(roles)]
    return urgent_counts(user, units) if units else {}


@staff_required
def unit_roles(request, unit_id):
    """An access admin (or the region's care-provider admin) gives and removes roles at a unit."""
    unit = role_managed_unit_or_404(request.user, unit_id)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form_call(
        form, lambda d: services.role_assign(actor=request.user, user=d["user"], role=d["role"], unit=unit)
    ):
        messages.success(request, _("The role was given."))
        return redirect("accounts:unit_roles", unit_id=unit.pk)
    assignments = (
        RoleAssignment.objects.active().filter(unit=unit).select_related("user").order_by("user__last_name", "role")
    )
    return render(
        request,
        "accounts/unit_roles.html",
        {"unit": unit, "form": form, "assignments": assignments},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def unit_role_remove(request, unit_id, assignment_id):
    unit = role_managed_unit_or_404(request.user, unit_id)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, unit=unit, removed_at__isnull=True)
    services.role_remove(actor=request.user, assignment=assignment)
    messages.success(request, _("The role was removed."))
    return redirect("accounts:unit_roles", unit_id=unit.pk)


@staff_required
def unit_licences(request, unit_id):
    """An access admin keeps the licences (legitimation) of the unit's staff, as the
    national register shows them: whose visits count as held by licensed staff."""
    unit = role_managed_unit_or_404(request.user, unit_id)
    staff = staff_at([unit.pk]).order_by("first_name", "last_name")
    form = LicenceForm(request.POST or None, staff=staff)
    if request.method == "POST" and form_call(
        form, lambda d: services.licence_record(actor=request.user, unit=unit, **d)
    ):
        messages.success(request, _("The licence is recorded."))
        return redirect("accounts:unit_licences", unit_id=unit.pk)
    licences = licences_at(unit)
    people = [(person, licences.get(person.pk, [])) for person in staff]
    return render(
        request,
        "accounts/unit_licences.html",
        {"unit": unit, "form": form, "people": people, "revoke_form": LicenceRevokeForm()},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def unit_licence_revoke(request, unit_id, licence_id):
    unit = role_managed_unit_or_404(request.user, unit_id)
    licence = get_object_or_404(Licence, pk=licence_id, user__in=staff_at([unit.pk]), revoked_on__isnull=True)
    form = LicenceRevokeForm(request.POST)
    if form_call(form, lambda d: services.licence_revoke(actor=request.user, unit=unit, licence=licence, **d)):
        messages.success(request, _("The licence is marked as revoked."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accounts:unit_licences", unit_id=unit.pk)


@require_POST
def choose_language(request):
    """The language menu and the offer bar: Django's set_language (the cookie, back
    to the page) and, for a logged-in user, the choice remembered for the next login."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        services.language_choose(user=request.user, language=language)
        request.session[PREFERRED_LANGUAGE_KEY] = language
    return response


def display(request):
    """Larger text and high contrast, for everyone (logged in or not): remembered
    for a logged-in user at every login, and in this browser."""
    form = DisplayForm(request.POST or None, initial=display_settings(request))
    if request.method == "POST" and form.is_valid():
        chosen = {name: form.cleaned_data[name] or "" for name in COOKIES}
        if request.user.is_authenticated:
            services.display_choose(user=request.user, **chosen)
        messages.success(request, _("Your display settings are saved."))
        response = redirect(next_or(request, reverse("accounts:display")))
        for name, cookie in COOKIES.items():
            response.set_cookie(
                cookie,
                chosen[name],
                max_age=365 * 24 * 3600,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
    return render(
        request,
        "accounts/display.html",
        {"form": form, "next": next_or(request, "")},
        status=400 if form.errors else 200,
    )
