"""The first endpoints: the citizen's bookings and access-log extract, and a
unit's flags for its staff. Each reads through the selector the pages use.
Importing this module registers them on ``api`` (the URLconf does)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import get_language
from ninja import Schema
from ninja.pagination import LimitOffsetPagination, paginate

from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.audit.selectors import access_log_for_citizen
from fyren.booking.selectors import bookings_for_citizen_user
from fyren.clinic.selectors import flags_for
from fyren.people.selectors import citizen_of_user

from .api import api, require_scope


class BookingOut(Schema):
    id: int
    unit: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    visit_kind: str
    status: str


class AccessOut(Schema):
    at: dt.datetime
    who: str
    unit: str
    action: str
    what: str


class FlagOut(Schema):
    id: int
    kind: str
    urgent: bool
    citizen_id: int
    created_at: dt.datetime
    message: str
    acknowledged_at: dt.datetime | None


def _citizen(request):
    citizen = citizen_of_user(request.user)
    if citizen is None:
        raise Http404
    return citizen


@api.get("/me/bookings", response=list[BookingOut], tags=["citizen"], summary="My visits: offered, booked, recent")
def my_bookings(request):
    require_scope(request, "patient/Appointment.rs")
    _citizen(request)
    return [
        BookingOut(
            id=b.pk,
            unit=b.unit.name,
            starts_at=b.slot.starts_at,
            ends_at=b.slot.ends_at,
            visit_kind=b.slot.visit_kind,
            status=b.status,
        )
        for b in bookings_for_citizen_user(request.user)
    ]


@api.get("/me/access-log", response=list[AccessOut], tags=["citizen"], summary="Who has read my data")
@paginate(LimitOffsetPagination)
def my_access_log(request):
    require_scope(request, "patient/AuditEvent.rs")
    return [
        AccessOut(at=e.at, who=e.actor_label, unit=e.unit_label, action=e.action, what=e.object_type)
        for e in access_log_for_citizen(citizen=_citizen(request))[:1000]
    ]


@api.get("/units/{unit_id}/flags", response=list[FlagOut], tags=["clinician"], summary="The unit's open flags")
def unit_flags(request, unit_id: int, page: int = 1):
    require_scope(request, "user/Flag.rs")
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    lang = get_language() or "sv"
    return [
        FlagOut(
            id=f.pk,
            kind=f.kind,
            urgent=f.urgent,
            citizen_id=f.citizen_id,
            created_at=f.created_at,
            message=(f.message or {}).get(lang) or (f.message or {}).get("sv", ""),
            acknowledged_at=f.acknowledged_at,
        )
        for f in flags_for(actor=request.user, unit=unit, page=page)
    ]
