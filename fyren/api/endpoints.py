"""The citizen's bookings and access-log extract, and the clinician's endpoints:
a unit's flags, inbox and dashboard rows, an enrolment's scores. Each reads
through the selector the pages use. Importing this module registers them (and
the citizen's endpoints in ``citizen.py``) on ``api``; the URLconf does."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import get_language
from ninja import Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.audit.selectors import access_log_for_citizen
from fyren.booking.selectors import bookings_for_citizen_user
from fyren.clinic.selectors import SORTS, dashboard_rows, enrolment_for_clinician_or_404, flags_for
from fyren.messaging.selectors import inbox_for
from fyren.people.selectors import citizen_of_user
from fyren.programs.models import text_in
from fyren.questionnaires.models import Response

from . import citizen as _citizen_endpoints  # noqa: F401 - registers the citizen's endpoints
from .api import api, needs


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
@needs("patient/Appointment.rs")
def my_bookings(request):
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
@needs("patient/AuditEvent.rs")
def my_access_log(request):
    return [
        AccessOut(at=e.at, who=e.actor_label, unit=e.unit_label, action=e.action, what=e.object_type)
        for e in access_log_for_citizen(citizen=_citizen(request))[:1000]
    ]


@api.get("/units/{unit_id}/flags", response=list[FlagOut], tags=["clinician"], summary="The unit's open flags")
@needs("user/Flag.rs")
def unit_flags(request, unit_id: int, page: int = 1):
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


class InboxRow(Schema):
    thread_id: int
    citizen_id: int
    patient: str
    subject: str
    waiting_since: dt.datetime | None
    unread: int
    assigned_to: str | None


class PageMeta(Schema):
    page: int
    pages: int
    count: int


class InboxOut(Schema):
    meta: PageMeta
    rows: list[InboxRow]


class ScoreCell(Schema):
    code: str
    value: float | None
    previous: float | None
    change: float | None


class DashboardRow(Schema):
    enrolment_id: int
    citizen_id: int
    patient: str
    program: str
    status: str
    module_number: int
    module_count: int
    urgent: bool
    flags: list[str]
    unread_messages: int
    last_activity_at: dt.datetime | None
    scores: list[ScoreCell]


class DashboardOut(Schema):
    meta: PageMeta
    rows: list[DashboardRow]


class ScoreOut(Schema):
    response_id: int
    instrument: str
    submitted_at: dt.datetime | None
    scores: dict
    bands: dict
    urgent: bool


def _meta(page) -> PageMeta:
    return PageMeta(page=page.number, pages=page.paginator.num_pages, count=page.paginator.count)


@api.get("/units/{unit_id}/inbox", response=InboxOut, tags=["clinician"], summary="Conversations waiting for an answer")
@needs("user/Communication.rs")
def unit_inbox(request, unit_id: int, mine: bool = False, page: int = 1):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    shown = inbox_for(actor=request.user, unit=unit, mine=mine, page=page)
    rows = [
        InboxRow(
            thread_id=t.pk,
            citizen_id=t.citizen_id,
            patient=t.citizen.full_name,
            subject=t.subject,
            waiting_since=t.waiting_since,
            unread=t.unread,
            assigned_to=t.assigned_to.display_name if t.assigned_to else None,
        )
        for t in shown
    ]
    return InboxOut(meta=_meta(shown), rows=rows)


@api.get(
    "/units/{unit_id}/dashboard", response=DashboardOut, tags=["clinician"], summary="The unit's patients in programs"
)
@needs("user/CarePlan.rs")
def unit_dashboard(
    request,
    unit_id: int,
    mine: bool = False,
    flag: str = "",
    program_id: int | None = None,
    sort: str = "flags",
    page: int = 1,
):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    if sort not in SORTS:
        raise HttpError(422, f"sort is one of {', '.join(SORTS)}.")
    shown = dashboard_rows(
        actor=request.user, unit=unit, mine=mine, flag_kind=flag, program_id=program_id, sort=sort, page=page
    )
    rows = [
        DashboardRow(
            enrolment_id=r.enrolment.pk,
            citizen_id=r.enrolment.citizen_id,
            patient=r.enrolment.citizen.full_name,
            program=text_in(r.enrolment.program_version.title, r.enrolment.program_version.languages, get_language()),
            status=r.enrolment.status,
            module_number=r.module_number,
            module_count=r.module_count,
            urgent=r.urgent,
            flags=[f["kind"] for f in r.flags],
            unread_messages=r.enrolment.unread_messages,
            last_activity_at=r.enrolment.last_activity_at,
            scores=[ScoreCell(**s) for s in r.scores],
        )
        for r in shown
    ]
    return DashboardOut(meta=_meta(shown), rows=rows)


@api.get(
    "/units/{unit_id}/enrolments/{enrolment_id}/scores",
    response=list[ScoreOut],
    tags=["clinician"],
    summary="An enrolment's questionnaire scores, oldest first",
)
@needs("user/Observation.rs")
def enrolment_scores(request, unit_id: int, enrolment_id: int):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    responses = Response.objects.filter(enrolment=enrolment, status=Response.Status.COMPLETED).order_by("submitted_at")
    return [
        ScoreOut(
            response_id=r.pk,
            instrument=r.instrument_code,
            submitted_at=r.submitted_at,
            scores=r.scores,
            bands=r.bands,
            urgent=r.urgent,
        )
        for r in responses
    ]
