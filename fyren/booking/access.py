"""Who acts on a booking, checked and logged: a staff member of the unit (a
clinician or enrolment admin) or the citizen's side (the citizen, a guardian or a
proxy)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from fyren.accounts.permissions import care_role
from fyren.audit.services import access_log_write
from fyren.people.selectors import may_act_for

from .models import Booking


def staff_role(actor, unit) -> str:
    """Clinicians and enrolment admins of the unit publish times and book for patients."""
    role = care_role(actor, unit)
    if not role:
        raise PermissionDenied
    return role


def log_access(actor, booking: Booking, action, role: str) -> None:
    access_log_write(
        actor=actor,
        citizen=booking.citizen,
        action=action,
        object_type="booking",
        object_id=booking.pk,
        role=role,
        unit=booking.unit,
    )


def citizen_side(actor, citizen) -> None:
    if not may_act_for(actor, citizen):
        raise PermissionDenied
