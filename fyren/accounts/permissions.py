"""Who may act where. Every staff page starts from one of these helpers, so no
view forgets the check; a unit the user may not act at is a 404."""

from django.db.models import Q
from django.http import Http404

from fyren.lib.http import id_or_none
from fyren.lib.request_context import request_cache
from fyren.organisations.models import CareUnit, Region

from .models import RoleAssignment
from .roles import Role


def active_assignments(user):
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.active().filter(user=user)


def units_where(user, *roles: str):
    """Units (valid today) where ``user`` holds one of ``roles``."""
    unit_ids = active_assignments(user).filter(role__in=roles, unit__isnull=False).values("unit_id")
    return CareUnit.objects.active_on().filter(pk__in=unit_ids)


def regions_where(user, *roles: str):
    region_ids = active_assignments(user).filter(role__in=roles, region__isnull=False).values("region_id")
    return Region.objects.filter(pk__in=region_ids)


def unit_and_roles(user, unit_id) -> tuple[CareUnit | None, frozenset[str]]:
    """The unit (valid today) and the roles ``user`` holds there — (None, no roles)
    when they hold none — asked once per request: the view's check, the workspace
    menu and the urgent banner all need them (cached in the request's scope;
    outside a request nothing is cached)."""
    cache = request_cache()
    key = ("unit_and_roles", getattr(user, "pk", None), str(unit_id))
    if cache is not None and key in cache:
        return cache[key]
    # One query: the user's roles in force at the unit, with the unit (valid today:
    # ``active()`` checks) — no roles there, no unit.
    held = list(active_assignments(user).filter(unit_id=unit_id).select_related("unit__region")) if unit_id else []
    unit = held[0].unit if held else None
    roles = frozenset(assignment.role for assignment in held)
    if cache is not None:
        cache[key] = (unit, roles)
    return unit, roles


def has_role(user, role: str, unit: CareUnit) -> bool:
    return role in roles_at(user, unit)


def roles_at(user, unit: CareUnit) -> set[str]:
    """The roles ``user`` holds at ``unit`` today (empty when the unit is not valid)."""
    if not unit.is_active_on():
        return set()
    return set(unit_and_roles(user, unit.pk)[1])


def care_role(user, unit: CareUnit) -> str:
    """The role ``user`` works with the unit's patients under — clinician before
    enrolment admin — or "" when neither (what services log and selectors check)."""
    roles = roles_at(user, unit)
    for role in (Role.CLINICIAN, Role.ENROLMENT_ADMIN):
        if role in roles:
            return role
    return ""


def unit_for_role_or_404(user, unit_id, *roles: str) -> CareUnit:
    """The unit, if the user holds one of ``roles`` there today; otherwise 404."""
    unit, held = unit_and_roles(user, id_or_none(unit_id))
    if unit is None or not held & set(roles):
        raise Http404
    return unit


def user_ids_with_role(unit: CareUnit, role: str):
    """Ids of the users holding ``role`` at ``unit`` today (a subquery or a list)."""
    return RoleAssignment.objects.active().filter(unit=unit, role=role).values_list("user_id", flat=True)


def manages_unit_settings(user, unit: CareUnit) -> bool:
    """The unit's enrolment admins, and the care-provider admins of its region,
    set how the unit works (answer time, responsibility for self-enrolments)."""
    return (
        has_role(user, Role.ENROLMENT_ADMIN, unit)
        or regions_where(user, Role.CARE_PROVIDER_ADMIN).filter(pk=unit.region_id).exists()
    )


def units_where_roles_are_managed_by(user):
    """Units where the user may assign roles: as access admin there, or as
    care-provider admin of the unit's region."""
    unit_ids = active_assignments(user).filter(role=Role.ACCESS_ADMIN, unit__isnull=False).values("unit_id")
    region_ids = active_assignments(user).filter(role=Role.CARE_PROVIDER_ADMIN).values("region_id")
    return CareUnit.objects.active_on().filter(Q(pk__in=unit_ids) | Q(region_id__in=region_ids))


def role_managed_unit_or_404(user, unit_id) -> CareUnit:
    unit = units_where_roles_are_managed_by(user).filter(pk=unit_id).select_related("region").first()
    if unit is None:
        raise Http404
    return unit


def regions_with_role(user, role: str):
    """Regions of the units where ``user`` holds ``role`` today."""
    return Region.objects.filter(pk__in=units_where(user, role).values("region_id"))
