"""Reads for the clinician workspace: the dashboard, the flags, the unit's
clinicians, and the context every unit page shares (the urgent-flag banner)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from fyren.accounts.permissions import roles_at, user_ids_with_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many
from fyren.care.models import Enrolment, ModuleProgress
from fyren.care.selectors import citizen_get_for_clinician, with_last_activity
from fyren.flags.models import Flag
from fyren.flags.routing import routed_filter
from fyren.messaging.models import Message
from fyren.programs.models import Module, Program, ProgramVersion
from fyren.questionnaires.library import LIBRARY
from fyren.questionnaires.models import Instrument, Response
from fyren.questionnaires.scoring import primary_score_id

from .models import Handover

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


def programs_running_at(unit):
    """Programs with open enrolments at ``unit`` (for the dashboard's filter; no patient data)."""
    return Program.objects.filter(
        versions__enrolments__unit=unit, versions__enrolments__status__in=Enrolment.OPEN_STATUSES
    ).distinct()


def urgent_flag_lines_for(*, actor, unit) -> list[UrgentLine]:
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
        .order_by("created_at")
    )
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
    module_number: int = 0
    module_count: int = 0
    scores: list = field(default_factory=list)  # [{code, value, previous, change}]
    flags: list = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        return any(f["urgent"] for f in self.flags)


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
    """One row per open enrolment of the unit, filtered and sorted over all of
    them, returned a page at a time, in a fixed number of queries whatever the
    number of patients. Clinicians only; the patients on the page are logged."""
    roles = roles_at(actor, unit)
    if Role.CLINICIAN not in roles:
        return Paginator([], per_page).get_page(1)
    unread = (
        Message.objects.filter(thread__enrolment=OuterRef("pk"), from_citizen=True, status="sent", read_at__isnull=True)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    enrolments = with_last_activity(
        Enrolment.objects.filter(unit=unit, status__in=Enrolment.OPEN_STATUSES)
        .select_related("citizen")
        .only(
            "id",
            "status",
            "started_at",
            "program_version_id",
            "unit_id",
            "citizen__given_name",
            "citizen__family_name",
            "citizen__identity_number",
            "citizen__user",
        )
        .annotate(unread=Subquery(unread))
    )
    if mine:
        enrolments = enrolments.filter(routed_filter(actor, unit, enrolment="self"))
    if program_id:
        enrolments = enrolments.filter(program_version__program_id=program_id)
    if flag_kind:
        enrolments = enrolments.filter(
            Q(flags__kind=flag_kind, flags__acknowledged_at__isnull=True)
            if flag_kind != "any"
            else Q(flags__acknowledged_at__isnull=True)
        ).distinct()
    enrolments = list(enrolments)
    # A few versions for thousands of rows: load each (with its large texts) once, not per row.
    versions = ProgramVersion.objects.select_related("program").in_bulk({e.program_version_id for e in enrolments})
    for e in enrolments:
        e.program_version = versions[e.program_version_id]
    ids = [e.pk for e in enrolments]
    rows = {e.pk: Row(enrolment=e) for e in enrolments}

    module_keys = defaultdict(list)  # version → its modules' keys, in order
    for version_id, key in (
        Module.objects.filter(version_id__in={e.program_version_id for e in enrolments})
        .order_by("position", "pk")
        .values_list("version_id", "key")
    ):
        module_keys[version_id].append(key)
    done = defaultdict(set)
    for enrolment_id, key in ModuleProgress.objects.filter(
        enrolment_id__in=ids, completed_at__isnull=False
    ).values_list("enrolment_id", "module_key"):
        done[enrolment_id].add(key)
    for row in rows.values():
        keys = module_keys[row.enrolment.program_version_id]
        row.module_count = len(keys)
        for number, key in enumerate(keys, start=1):
            if key not in done[row.enrolment.pk]:
                row.module_number = number
                break
        else:
            row.module_number = row.module_count

    by_code: defaultdict[int, defaultdict[str, list]] = defaultdict(lambda: defaultdict(list))
    responses = list(
        Response.objects.filter(enrolment_id__in=ids, status="completed")
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

    for f in Flag.objects.filter(enrolment_id__in=ids, acknowledged_at__isnull=True).values(
        "enrolment_id", "kind", "urgent"
    ):
        rows[f["enrolment_id"]].flags.append(f)

    labels = dict(Flag.Kind.choices)
    for row in rows.values():
        for f in row.flags:
            f["label"] = labels.get(f["kind"], f["kind"])
    result = sorted((r for r in rows.values() if module is None or r.module_number == module), key=_sort_key(sort))
    shown = Paginator(result, per_page).get_page(page)
    access_log_write_many(
        actor=actor,
        citizens=[r.enrolment.citizen for r in shown],
        action=AccessLogEntry.Action.READ,
        object_type="dashboard",
        role=Role.CLINICIAN,
        unit=unit,
    )
    return shown


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


def _sort_key(sort: str):
    def name(row):
        return (row.enrolment.citizen.family_name.casefold(), row.enrolment.citizen.given_name.casefold())

    if sort == "activity":  # longest inactive first: they need a nudge
        return lambda row: (row.enrolment.last_activity, name(row))
    if sort == "name":
        return name
    if sort == "module":
        return lambda row: (row.module_number, name(row))
    if sort == "program":
        return lambda row: (str(row.enrolment.program_version.display_title), name(row))
    return lambda row: (not row.urgent, -len(row.flags), -(row.enrolment.unread or 0), name(row))
