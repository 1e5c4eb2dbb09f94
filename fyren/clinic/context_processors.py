from fyren.accounts.permissions import unit_and_roles

from .menu import unit_menu
from .selectors import URGENT_BANNER_LINES, WORKSPACE_ROLES, urgent_flag_count_for, urgent_flag_lines_for


def unit_workspace(request):
    """On every page of a unit's workspace (/clinic/<unit>/…): the unit for the
    workspace menu, and its unacknowledged urgent flags for the banner at the top (the oldest few, and how many)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "clinic" or "unit_id" not in match.kwargs:
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The same lookup as the view's own check: answered from the request's cache.
    unit, roles = unit_and_roles(user, match.kwargs["unit_id"])
    if unit is None or not roles & set(WORKSPACE_ROLES):
        return {}
    lines = urgent_flag_lines_for(actor=user, unit=unit, limit=URGENT_BANNER_LINES)
    return {
        "workspace_unit": unit,
        "workspace_roles": set(roles),
        "workspace_menu": unit_menu(unit, roles, workspace_only=True),
        "urgent_flags": lines,
        # Counted only when the banner is full (most pages of most units: none to count).
        "urgent_flag_count": urgent_flag_count_for(actor=user, unit=unit)
        if len(lines) >= URGENT_BANNER_LINES
        else len(lines),
    }
