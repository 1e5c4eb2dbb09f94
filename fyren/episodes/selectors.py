"""Reads of care episodes and care requests. Staff reads of a patient's episodes
go through ``care.selectors.citizen_get_for_clinician`` (need-based access and
the access log); a receiving unit reads a care request sent to it (logged)
before it has any other access. Analysts get figures only, never records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from fyren.accounts.permissions import care_role, has_role, units_where
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.selectors import read_logged_or_404
from fyren.audit.services import access_log_write_many
from fyren.care.selectors import citizen_get_for_clinician
from fyren.organisations.models import CareUnit

from . import leadtimes
from .models import POINTS, CareRequest, Episode, EpisodePause, EpisodePoint, Pathway, PathwayCode, PathwayTarget


def _points_prefetch():
    return Prefetch(
        "points",
        queryset=EpisodePoint.objects.select_related("recorded_by", "unit").prefetch_related(
            "corrections__corrected_by"
        ),
    )


def _episodes():
    return Episode.objects.select_related("pathway", "unit", "care_request__from_unit").prefetch_related(
        _points_prefetch(), "pauses", "pathway__targets", "pathway__codes"
    )


def episodes_with_points():
    """Episodes with what their FHIR form needs (points, pauses, pathway), for a
    reader that checks and logs access itself (the FHIR server)."""
    return _episodes()


def episodes_at_unit(*, citizen, unit) -> list[Episode]:
    """The citizen's episodes at the unit, newest first, each with ``targets``
    (lead times against its pathway), for a page that has read the patient
    through ``citizen_get_for_clinician`` (which checked and logged the access)."""
    episodes = list(_episodes().filter(citizen=citizen, unit=unit))
    today = timezone.localdate()
    for episode in episodes:
        episode.citizen = citizen
        episode.targets = targets_for(episode, today=today)
    return episodes


def episode_for_clinician_or_404(*, actor, unit, episode_id) -> Episode:
    episode = _episodes().filter(pk=episode_id, unit=unit).first()
    if episode is None:
        raise Http404
    episode.citizen = citizen_get_for_clinician(
        actor=actor, unit=unit, citizen_id=episode.citizen_id, object_type="episode", object_id=episode.pk
    )
    episode.targets = targets_for(episode, today=timezone.localdate())
    return episode


def waiting_request_of(*, unit, episode_id) -> int | None:
    """The care request still waiting for the unit's position that opened this
    episode, if so (its id only: the caller sends the reader to the request)."""
    return (
        CareRequest.objects.filter(episode_id=episode_id, to_unit=unit, status=CareRequest.Status.SENT)
        .values_list("pk", flat=True)
        .first()
    )


def point_dates(episode: Episode) -> dict[str, dt.date]:
    return {p.point: timezone.localtime(p.at).date() for p in episode.points.all()}


def pauses_of(episode: Episode) -> list[leadtimes.Pause]:
    return [leadtimes.Pause(p.kind, p.starts_on, p.ends_on) for p in episode.pauses.all()]


def targets_for(episode: Episode, *, today: dt.date) -> list[leadtimes.TargetState]:
    """Each of the pathway's targets with the episode's lead time so far."""
    if episode.pathway is None:
        return []
    dates, pauses = point_dates(episode), pauses_of(episode)
    return [
        leadtimes.TargetState(
            t.from_point,
            t.to_point,
            t.days,
            leadtimes.between(dates, t.from_point, t.to_point, pauses, today=today),
            t.warn_days_before,
            skipped=t.to_point not in dates and any(p > t.to_point for p in dates),
        )
        for t in episode.pathway.targets.all()
    ]


@dataclass
class LeadTable:
    """Days between every two recorded points of an episode (rows: from; columns: to)."""

    points: list[str]
    cells: dict[tuple[str, str], leadtimes.LeadTime] = field(default_factory=dict)


def lead_table(episode: Episode, *, today: dt.date) -> LeadTable:
    dates, pauses = point_dates(episode), pauses_of(episode)
    recorded = [p for p in POINTS if p in dates]
    table = LeadTable(recorded)
    for i, a in enumerate(recorded):
        for b in recorded[i + 1 :]:
            table.cells[(a, b)] = leadtimes.lead_time(dates[a], dates[b], pauses)
    return table


# --- care requests --------------------------------------------------------------------------


def care_requests_incoming(*, actor, unit) -> list[CareRequest]:
    """Requests sent to the unit: those waiting, then the last 30 days' decided
    ones; for its clinicians and enrolment admins (one read per citizen shown)."""
    role = care_role(actor, unit)
    if not role:
        return []
    since = timezone.now() - dt.timedelta(days=30)
    requests = list(
        CareRequest.objects.filter(to_unit=unit)
        .filter(status=CareRequest.Status.SENT)
        .select_related("citizen", "from_unit", "sent_by", "pathway", "decided_by")
        .order_by("sent_at")
    ) + list(
        CareRequest.objects.filter(to_unit=unit, decided_at__gte=since)
        .exclude(status=CareRequest.Status.SENT)
        .select_related("citizen", "from_unit", "sent_by", "pathway", "decided_by")
        .order_by("-decided_at")
    )
    access_log_write_many(
        actor=actor,
        citizens=[r.citizen for r in requests],
        action=AccessLogEntry.Action.READ,
        object_type="care_requests",
        role=role,
        unit=unit,
    )
    return requests


def care_requests_sent_for(*, actor, unit, citizen) -> list[CareRequest]:
    """The requests the unit sent for one patient (the caller has read the patient)."""
    if not has_role(actor, Role.CLINICIAN, unit):
        return []
    return list(
        CareRequest.objects.filter(from_unit=unit, citizen=citizen)
        .select_related("to_unit", "sent_by", "decided_by")
        .order_by("-sent_at")
    )


def care_request_for_receiver_or_404(*, actor, unit, request_id) -> CareRequest:
    """One request sent to the unit, for its clinicians and enrolment admins (logged)."""
    return read_logged_or_404(
        CareRequest.objects.filter(pk=request_id, to_unit=unit).select_related(
            "citizen", "from_unit", "sent_by", "pathway", "decided_by", "episode"
        ),
        actor=actor,
        role=care_role(actor, unit),
        unit=unit,
        object_type="care_request",
    )


# --- figures for analysts -------------------------------------------------------------------


def units_for_analyst(actor) -> list[CareUnit]:
    """The units whose figures an analyst may see: every unit of the regions where
    they hold the analyst role at some unit (figures only, never records)."""
    region_ids = units_where(actor, Role.ANALYST).values("region_id")
    return list(CareUnit.objects.filter(region_id__in=region_ids).select_related("region").order_by("name"))


def pathways_for_units(units) -> list[Pathway]:
    return list(
        Pathway.objects.filter(region_id__in={u.region_id for u in units}).prefetch_related("targets").order_by("name")
    )


@dataclass
class ReportRow:
    unit: CareUnit
    summary: leadtimes.Summary
    running: int  # reached the first point, not the second (not counted above)
    hidden: set[str] = field(default_factory=set)  # figures not to show (small counts)
    month: dt.date | None = None  # by month: the month the end point fell in
    leads: list[leadtimes.LeadTime] = field(default_factory=list)  # for the distribution


def lead_time_report(
    *,
    units,
    pathway: Pathway,
    from_point: str,
    to_point: str,
    start: dt.date,
    end: dt.date,
    by_month: bool = False,
) -> tuple[list[ReportRow], int | None]:
    """Per unit (and month, ``by_month``: the month the end point fell in): lead
    times from ``from_point`` to ``to_point`` of the pathway's episodes whose end
    point falls in ``start``..``end`` (running ones counted apart; episodes that
    passed the end point by are left out); and the pathway's target for the
    pair. Five queries whatever the size."""
    target = PathwayTarget.objects.filter(pathway=pathway, from_point=from_point, to_point=to_point).first()
    # Plain tuples, and only the two points asked for: a region's pathway has
    # tens of thousands of episodes, and model instances would cost most of the time.
    in_scope = {"episode__pathway": pathway, "episode__unit__in": units}
    unit_of = dict(
        Episode.objects.filter(pathway=pathway, unit__in=units)
        .exclude(status=Episode.Status.DECLINED)
        .values_list("id", "unit_id")
    )
    dates: dict[int, dict[str, dt.date]] = {}
    for episode_id, point, at in EpisodePoint.objects.filter(**in_scope, point__in=(from_point, to_point)).values_list(
        "episode_id", "point", "at"
    ):
        dates.setdefault(episode_id, {})[point] = timezone.localtime(at).date()
    passed_by = set(
        EpisodePoint.objects.filter(**in_scope, point__gt=to_point).values_list("episode_id", flat=True).distinct()
    )
    pauses: dict[int, list[leadtimes.Pause]] = {}
    for episode_id, kind, starts_on, ends_on in EpisodePause.objects.filter(**in_scope).values_list(
        "episode_id", "kind", "starts_on", "ends_on"
    ):
        pauses.setdefault(episode_id, []).append(leadtimes.Pause(kind, starts_on, ends_on))
    by_unit: dict[tuple[int, dt.date | None], list[leadtimes.LeadTime]] = {}
    running: dict[int, int] = {}
    today = timezone.localdate()
    for episode_id, points in dates.items():
        unit_id = unit_of.get(episode_id)
        if unit_id is None or from_point not in points:
            continue
        if to_point not in points and episode_id in passed_by:
            continue  # the end point was passed by: not measured
        lead = leadtimes.between(points, from_point, to_point, pauses.get(episode_id, ()), today=today)
        if lead is None:
            continue
        if lead.running:
            running[unit_id] = running.get(unit_id, 0) + 1
        elif start <= lead.end <= end:
            by_unit.setdefault((unit_id, lead.end.replace(day=1) if by_month else None), []).append(lead)
    target_days = target.days if target else None
    rows = []
    for u in units:
        keys = sorted((k for k in by_unit if k[0] == u.pk), key=lambda k: k[1] or dt.date.min)
        if not keys and u.pk in running:
            keys = [(u.pk, None)]
        for n, key in enumerate(keys):
            leads = by_unit.get(key, [])
            # Running episodes have no end month: counted on the unit's first row.
            rows.append(
                ReportRow(
                    u,
                    leadtimes.summarise(leads, target_days),
                    running.get(u.pk, 0) if n == 0 else 0,
                    month=key[1],
                    leads=leads,
                )
            )
    return rows, target_days


def point_export_rows(*, units, pathway: Pathway, start: dt.date, end: dt.date):
    """One row per recorded point of the pathway's episodes, dated in the period,
    with the code of its year: what a region reports. No identity: the episode
    number stands for the patient."""
    codes = {(c.year, c.point): c.code for c in PathwayCode.objects.filter(pathway=pathway)}
    points = (
        EpisodePoint.objects.filter(episode__pathway=pathway, episode__unit__in=units)
        .order_by("episode_id", "point")
        .values_list("episode_id", "episode__unit__hsa_id", "point", "at", "source")
    )
    for episode_id, hsa_id, point, at, source in points.iterator(chunk_size=5000):
        day = timezone.localtime(at).date()
        if start <= day <= end:
            yield {
                "episode": episode_id,
                "unit_hsa_id": hsa_id,
                "pathway": pathway.name,
                "point": point,
                "code": codes.get((day.year, point), ""),
                "date": day.isoformat(),
                "source": source,
            }


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def episodes_for_reader(citizens, units=None):
    qs = episodes_with_points().filter(citizen__in=citizens)
    return qs if units is None else qs.filter(unit__in=units)


def care_requests_for_reader(*, citizen=None, units=None):
    """Care requests between units (the sending and the receiving unit both see
    them), or (for a citizen) the citizen's own."""
    qs = CareRequest.objects.select_related("from_unit", "to_unit", "citizen")
    if units is None:
        return qs.filter(citizen=citizen)
    return qs.filter(Q(from_unit__in=units) | Q(to_unit__in=units))
