"""Reads for the clinician workspace: the dashboard, the flags, the unit's
clinicians, and the context every unit page shares (the urgent-flag banner)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.functions import Lower
from django.http import Http404

from fyren.accounts.permissions import roles_at, user_ids_with_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many
from fyren.care.models import Enrolment, Handover
from fyren.care.selectors import citizen_get_for_clinician
from fyren.flags.models import Flag
from fyren.flags.routing import routed_filter
from fyren.instruments.library import LIBRARY
from fyren.instruments.models import Instrument
from fyren.instruments.scoring import primary_score_id
from fyren.programs.models import Program, ProgramVersion
from fyren.questionnaires.models import Response

WORKSPACE_ROLES = (Role.CLINICIAN, Role.ENROLMENT_ADMIN)


def unit_clinicians(unit):
    """Users holding the clinician role at the unit today."""
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids_with_role(unit, Role.CLINICIAN))
        .order_by("first_name", "last_name")
    )


def _log_role(roles) -> str:
    return Role.CLINICIAN if Role.CLINICIAN in roles else Role.ENROLMENT_ADMIN


@dataclass(frozen=True)
class UrgentLine:
    """One urgent flag in the banner: what and when, never who."""

    pk: int
    kind: str
    created_at: dt.datetime
    program: dict | None
    message: dict
    response_id: int | None
    enrolment_id: int | None


def _versions_running_at(unit):
    """The ids of the program versions with open enrolments at ``unit`` (an index-only scan)."""
    return (
        Enrolment.objects.filter(unit=unit, status__in=Enrolment.OPEN_STATUSES)
        .order_by()
        .values("program_version_id")
        .distinct()
    )


def programs_running_at(unit):
    """Programs with open enrolments at ``unit`` (for the dashboard's filter; no patient data)."""
    return Program.objects.filter(versions__in=_versions_running_at(unit)).distinct()


# The banner lists the oldest few and counts the rest: on every page of a unit
# with thousands of patients it must stay short (and cheap); all are on the flag list.
URGENT_BANNER_LINES = 10


def urgent_flag_count_for(*, actor, unit) -> int:
    """How many urgent flags at the unit wait for acknowledgement (no patient data)."""
    if not roles_at(actor, unit) & set(WORKSPACE_ROLES):
        return 0
    return Flag.objects.filter(unit=unit, urgent=True, acknowledged_at__isnull=True).count()


def urgent_flag_lines_for(*, actor, unit, limit: int | None = None) -> list[UrgentLine]:
    """The unit's unacknowledged urgent flags for the banner on every unit page,
    shown to every clinician and enrolment admin of the unit (an urgent flag
    must not wait on one person). No patient is identified, so showing the
    banner reads no patient data and writes no access-log entry; the names are
    on the flag list the banner links to, which logs them (decisions.md #29)."""
    if not roles_at(actor, unit) & set(WORKSPACE_ROLES):
        return []
    flags = (
        Flag.objects.filter(unit=unit, urgent=True, acknowledged_at__isnull=True)
        .select_related("enrolment__program_version")
        .order_by("created_at", "pk")
    )
    if limit is not None:
        flags = flags[:limit]
    return [
        UrgentLine(
            pk=f.pk,
            kind=f.get_kind_display(),
            created_at=f.created_at,
            program=f.enrolment.program_version.title if f.enrolment is not None else None,
            message=f.message,
            response_id=f.response_id,
            enrolment_id=f.enrolment_id,
        )
        for f in flags
    ]


def flags_for(
    *,
    actor,
    unit,
    mine: bool = False,
    kind: str = "",
    urgent_only: bool = False,
    show_acknowledged: bool = False,
    page=1,
    per_page: int = 100,
) -> Page:
    """Flags of the unit (open ones first, urgent first), a page at a time; with
    ``mine`` only those routed to the actor (their patients', or an absent colleague's)."""
    roles = roles_at(actor, unit) & set(WORKSPACE_ROLES)
    if not roles:
        return Paginator([], per_page).get_page(1)
    flags = Flag.objects.filter(unit=unit).select_related("citizen", "enrolment__program_version", "acknowledged_by")
    if not show_acknowledged:
        flags = flags.filter(acknowledged_at__isnull=True)
    if kind:
        flags = flags.filter(kind=kind)
    if urgent_only:
        flags = flags.filter(urgent=True)
    if mine:
        flags = flags.filter(routed_filter(actor, unit, enrolment="enrolment"))
    shown = Paginator(flags.order_by("acknowledged_at", "-urgent", "created_at"), per_page).get_page(page)
    access_log_write_many(
        actor=actor,
        citizens={f.citizen_id: f.citizen for f in shown}.values(),
        action=AccessLogEntry.Action.READ,
        object_type="flag_list",
        role=_log_role(roles),
        unit=unit,
    )
    return shown


def enrolment_for_clinician_or_404(*, actor, unit, enrolment_id) -> Enrolment:
    """An enrolment at ``unit`` whose patient the clinician may read (through the
    logged ``citizen_get_for_clinician``); anything else is 404."""
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, unit=unit)
        .select_related("citizen", "program_version__program__owner", "unit")
        .first()
    )
    if enrolment is None:
        raise Http404
    citizen_get_for_clinician(actor=actor, unit=unit, citizen_id=enrolment.citizen_id)
    return enrolment


def response_for_clinician_or_404(*, actor, unit, response_id):
    """A submitted questionnaire response of a patient of ``unit`` (in one of its
    enrolments, or a screening before self-enrolment there), read by a clinician
    of the unit with the patient in care: logged as a read of that response.
    Anything else is a 404."""
    response = (
        Response.objects.filter(Q(enrolment__unit=unit) | Q(screening_for__unit=unit), pk=response_id)
        .filter(status=Response.Status.COMPLETED)
        .select_related("citizen", "enrolment__program_version", "submitted_by")
        .first()
    )
    if response is None:
        raise Http404
    citizen_get_for_clinician(
        actor=actor,
        unit=unit,
        citizen_id=response.citizen_id,
        object_type="questionnaire_response",
        object_id=response.pk,
    )
    return response


def handovers_incoming_for(*, actor, unit) -> list:
    """Handovers waiting for ``unit`` to accept. The receiving unit reads the
    citizen's name and the summary to decide, outside any care relation there:
    logged as such, one entry per citizen."""
    roles = roles_at(actor, unit) & set(WORKSPACE_ROLES)
    if not roles:
        return []
    incoming = list(
        Handover.objects.filter(to_unit=unit, status=Handover.Status.PENDING).select_related(
            "enrolment__citizen", "enrolment__program_version", "from_unit", "requested_by"
        )
    )
    access_log_write_many(
        actor=actor,
        citizens=[h.enrolment.citizen for h in incoming],
        action=AccessLogEntry.Action.READ,
        object_type="handover",
        role=_log_role(roles),
        unit=unit,
        outside_care_relation=True,
    )
    return incoming


# --- dashboard ----------------------------------------------------------------------------


@dataclass
class Row:
    enrolment: Enrolment
    scores: list = field(default_factory=list)  # [{code, value, previous, change}]
    flags: list = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        return any(f["urgent"] for f in self.flags)

    @property
    def module_number(self) -> int:
        return self.enrolment.module_number

    @property
    def module_count(self) -> int:
        return self.enrolment.module_count


SORTS = ("flags", "activity", "name", "module", "program")


PAGE_SIZES = (25, 50, 100, 200)


def dashboard_rows(
    *,
    actor,
    unit,
    mine: bool,
    flag_kind: str = "",
    program_id=None,
    module: int | None = None,
    sort: str = "flags",
    page=1,
    per_page: int = 100,
) -> Page:
    """One row per open enrolment of the unit, filtered, sorted and paged by the
    database on the enrolment's kept summary (``care.summary``), so a page costs
    the same few queries whether the unit has a hundred patients or ten thousand.
    Clinicians only; the patients on the page are logged."""
    roles = roles_at(actor, unit)
    if Role.CLINICIAN not in roles:
        return Paginator([], per_page).get_page(1)
    enrolments = (
        Enrolment.objects.filter(unit=unit, status__in=Enrolment.OPEN_STATUSES)
        .select_related("citizen")
        .only(
            "id",
            "status",
            "started_at",
            "program_version_id",
            "unit_id",
            "last_activity_at",
            "open_flags",
            "urgent_flags",
            "unread_messages",
            "module_number",
            "module_count",
            "citizen__given_name",
            "citizen__family_name",
            "citizen__identity_number",
            "citizen__user",
        )
    )
    if mine:
        enrolments = enrolments.filter(routed_filter(actor, unit, enrolment="self"))
    if program_id:
        enrolments = enrolments.filter(program_version__program_id=program_id)
    if flag_kind:
        open_flags = Flag.objects.filter(enrolment=OuterRef("pk"), acknowledged_at__isnull=True)
        enrolments = enrolments.filter(Exists(open_flags.filter(kind=flag_kind) if flag_kind != "any" else open_flags))
    if module is not None:
        enrolments = enrolments.filter(module_number=module)
    shown = Paginator(enrolments.order_by(*_ordering(sort, unit)), per_page).get_page(page)
    page_enrolments = list(shown.object_list)
    # A few versions for a page of rows: load each (with its large texts) once, not per row.
    versions = ProgramVersion.objects.select_related("program").in_bulk({e.program_version_id for e in page_enrolments})
    for e in page_enrolments:
        e.program_version = versions[e.program_version_id]
    rows = {e.pk: Row(enrolment=e) for e in page_enrolments}

    by_code: defaultdict[int, defaultdict[str, list]] = defaultdict(lambda: defaultdict(list))
    responses = list(
        Response.objects.filter(enrolment_id__in=rows, status="completed")
        .order_by("submitted_at")
        .values("enrolment_id", "instrument_code", "scores")
    )
    shown_score = _primary_score_ids(
        {(rows[r["enrolment_id"]].enrolment.program_version.program.owner_id, r["instrument_code"]) for r in responses}
    )
    for r in responses:
        owner = rows[r["enrolment_id"]].enrolment.program_version.program.owner_id
        value = r["scores"].get(shown_score.get((owner, r["instrument_code"])) or "")
        by_code[r["enrolment_id"]][r["instrument_code"]].append(value if isinstance(value, int | float) else None)
    for enrolment_id, codes in by_code.items():
        for code, values in sorted(codes.items()):
            latest = values[-1]
            previous = values[-2] if len(values) > 1 else None
            change = None if previous is None or latest is None else latest - previous
            rows[enrolment_id].scores.append({"code": code, "value": latest, "previous": previous, "change": change})

    labels = dict(Flag.Kind.choices)
    for f in (
        Flag.objects.filter(enrolment_id__in=rows, acknowledged_at__isnull=True)
        .order_by("-urgent", "created_at", "pk")
        .values("enrolment_id", "kind", "urgent")
    ):
        rows[f["enrolment_id"]].flags.append({**f, "label": labels.get(f["kind"], f["kind"])})
    shown.object_list = list(rows.values())  # type: ignore[arg-type]  # the page's rows, in its order
    access_log_write_many(
        actor=actor,
        citizens=[e.citizen for e in page_enrolments],
        action=AccessLogEntry.Action.READ,
        object_type="dashboard",
        role=Role.CLINICIAN,
        unit=unit,
    )
    return shown


def _ordering(sort: str, unit) -> list:
    """The dashboard's order in the database, the patient's name (then the
    enrolment) breaking ties so that pages never overlap."""
    name = [Lower("citizen__family_name"), Lower("citizen__given_name"), "pk"]
    if sort == "activity":  # longest inactive first: they need a nudge
        return ["last_activity_at", *name]
    if sort == "name":
        return name
    if sort == "module":
        return ["module_number", *name]
    if sort == "program":  # by the title shown, ranked over the few versions running at the unit
        versions = ProgramVersion.objects.filter(pk__in=_versions_running_at(unit)).only("title", "languages")
        ranked = sorted(versions, key=lambda v: (str(v.display_title).casefold(), v.pk))
        rank = Case(*(When(program_version_id=v.pk, then=n) for n, v in enumerate(ranked)), default=len(ranked))
        return [rank, *name]
    urgent_first = Case(When(urgent_flags__gt=0, then=0), default=1)
    return [urgent_first, "-open_flags", "-unread_messages", *name]


def _primary_score_ids(keys: set[tuple[int, str]]) -> dict[tuple[int, str], str | None]:
    """(region, instrument code) → the score shown, from the library or, in one
    query, the regions' own instruments (the definitions stay out of the row query)."""
    out = {key: primary_score_id(LIBRARY[key[1]]) for key in keys if key[1] in LIBRARY}
    own = {key for key in keys if key[1] not in LIBRARY}
    if own:
        for instrument in Instrument.objects.filter(
            owner_id__in={o for o, _c in own}, code__in={c for _o, c in own}
        ).only("owner_id", "code", "definition"):
            out[(instrument.owner_id, instrument.code)] = primary_score_id(instrument.definition)
    return out
