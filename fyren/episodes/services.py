"""Writes on care episodes, pathways and care requests. Each runs in one
transaction, checks who may, and writes the access log (patient data) or the
audit trail (a region's pathways)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import care_role, has_role, regions_where
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write, change_record
from fyren.care.models import CareRelation
from fyren.flags.models import Flag
from fyren.flags.services import flags_settle
from fyren.lib.text import typed_text

from .models import (
    POINTS,
    CareRequest,
    Episode,
    EpisodePause,
    EpisodePoint,
    EpisodePointCorrection,
    Pathway,
    PathwayCode,
    PathwayTarget,
    Point,
)
from .signals import point_recorded

# A point may be dated a little ahead of the server's clock (a clock a few minutes fast).
CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_NOTE = 300

# --- pathways (a region's care-provider admin) ----------------------------------------------


def _region_admin(actor, region) -> None:
    if not regions_where(actor, Role.CARE_PROVIDER_ADMIN).filter(pk=region.pk).exists():
        raise PermissionDenied


def pathway_save(*, actor, region, name: str, area: str, active: bool = True, pathway: Pathway | None = None):
    """Create a pathway for the region, or change its name, area or whether it is in use."""
    name = typed_text(name, limit=200, field="name").strip()
    if not name:
        raise ValidationError({"name": _("Give the pathway a name.")})
    if area not in Pathway.Area.values:
        raise ValidationError({"area": _("Choose an area.")})
    with transaction.atomic():
        _region_admin(actor, region)
        same_name = Pathway.objects.filter(region=region, name__iexact=name)
        if pathway is not None:
            same_name = same_name.exclude(pk=pathway.pk)
        if same_name.exists():
            raise ValidationError({"name": _("The region already has a pathway with this name.")})
        old = {} if pathway is None else {"name": pathway.name, "area": pathway.area, "active": pathway.active}
        if pathway is None:
            pathway = Pathway(region=region, created_by=actor)
        elif pathway.region_id != region.pk:
            raise PermissionDenied
        pathway.name, pathway.area, pathway.active = name[:200], area, active
        pathway.save()
        audit_event_write(
            actor=actor,
            action="pathway.save",
            obj=pathway,
            data={"old": old, "new": {"name": pathway.name, "area": area, "active": active}},
        )
    return pathway


def pathway_target_set(*, actor, pathway: Pathway, from_point: str, to_point: str, days, warn_days_before=1):
    """Set (or replace) the target lead time between two points; ``days`` None removes it."""
    if from_point not in POINTS or to_point not in POINTS or from_point >= to_point:
        raise ValidationError({"to_point": _("The second point must come after the first (A before B … G).")})
    if days is not None and not (0 <= int(days) <= 3650):
        raise ValidationError({"days": _("Give a number of days from 0 to 3650.")})
    if not (0 <= int(warn_days_before or 0) <= 365):
        raise ValidationError({"warn_days_before": _("Give a number of days from 0 to 365.")})
    with transaction.atomic():
        _region_admin(actor, pathway.region)
        PathwayTarget.objects.filter(pathway=pathway, from_point=from_point, to_point=to_point).delete()
        target = None
        if days is not None:
            target = PathwayTarget.objects.create(
                pathway=pathway,
                from_point=from_point,
                to_point=to_point,
                days=int(days),
                warn_days_before=int(warn_days_before or 0),
            )
        audit_event_write(
            actor=actor,
            action="pathway.target",
            obj=pathway,
            data={"from": from_point, "to": to_point, "days": days, "warn": warn_days_before},
        )
    return target


def pathway_codes_set(*, actor, pathway: Pathway, year: int, codes: dict[str, str]) -> list[PathwayCode]:
    """Replace the year's code table: the code each point is reported with (KVÅ
    codes or the region's own); a point left empty has no code that year."""
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": _("Give a year from 2000 to 2100.")})
    cleaned = {}
    for point, code in codes.items():
        code = typed_text(code or "", limit=20, field=f"code_{point}").strip().upper()
        if point not in POINTS:
            raise ValidationError(_("Unknown measurement point."))
        if len(code) > 20 or (code and not all(c.isalnum() or c in "-._" for c in code)):
            raise ValidationError({f"code_{point}": _("A code has at most 20 letters, digits, dots or dashes.")})
        if code:
            cleaned[point] = code
    with transaction.atomic():
        _region_admin(actor, pathway.region)
        old = dict(PathwayCode.objects.filter(pathway=pathway, year=year).values_list("point", "code"))
        PathwayCode.objects.filter(pathway=pathway, year=year).delete()
        made = PathwayCode.objects.bulk_create(
            PathwayCode(pathway=pathway, year=year, point=p, code=c) for p, c in sorted(cleaned.items())
        )
        audit_event_write(
            actor=actor, action="pathway.codes", obj=pathway, data={"year": year, "old": old, "new": cleaned}
        )
    return made


# --- episodes -------------------------------------------------------------------------------


def _clinician_with_relation(actor, episode: Episode) -> None:
    if not has_role(actor, Role.CLINICIAN, episode.unit):
        raise PermissionDenied
    if not CareRelation.objects.active().filter(citizen_id=episode.citizen_id, unit=episode.unit).exists():
        raise PermissionDenied


def _change_record(
    actor, episode: Episode, obj, object_type: str, event: str, data, access=AccessLogEntry.Action.CHANGE
):
    """A clinician's change to the episode (or a point or pause of it), logged and audited."""
    change_record(
        actor=actor,
        citizen=episode.citizen,
        obj=obj,
        object_type=object_type,
        event=event,
        role=Role.CLINICIAN,
        unit=episode.unit,
        access=access,
        data=data,
    )


def _check_order(episode: Episode, point: str, at: dt.datetime, *, ignore: int | None = None) -> None:
    """Points keep their order: an earlier point is never dated after a later one."""
    others = episode.points.all() if ignore is None else episode.points.exclude(pk=ignore)
    for other in others:
        if other.point < point and other.at > at:
            raise ValidationError(
                {
                    "at": _("%(point)s cannot come before %(other)s (%(when)s).")
                    % {"point": point, "other": other.point, "when": _when(other.at)}
                }
            )
        if other.point > point and other.at < at:
            raise ValidationError(
                {
                    "at": _("%(point)s cannot come after %(other)s (%(when)s).")
                    % {"point": point, "other": other.point, "when": _when(other.at)}
                }
            )


def _when(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _check_time(at: dt.datetime) -> None:
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": _("A measurement point cannot lie in the future.")})


def _close_if_ended(episode: Episode, point: str, at: dt.datetime) -> None:
    if point == Point.G and episode.status != Episode.Status.ENDED:
        episode.status, episode.closed_at = Episode.Status.ENDED, at
        episode.save(update_fields=["status", "closed_at"])


def _settle_targets(episode: Episode, point: str, actor=None) -> None:
    """A point reached settles the lead-time flags of the targets ending there."""
    if episode.pathway_id is None:
        return
    for target in PathwayTarget.objects.filter(pathway_id=episode.pathway_id, to_point=point):
        flags_settle(
            kind=Flag.Kind.LEAD_TIME,
            source_type="episode_target",
            source_id=f"{episode.pk}:{target.from_point}{target.to_point}",
            note=_("Point %(point)s reached.") % {"point": point},
            actor=actor,
        )


def _point_recorded(episode: Episode, made: EpisodePoint, actor) -> None:
    point_recorded.send(
        sender=EpisodePoint, episode=episode, point=made.point, at=made.at, source=made.source, actor=actor
    )


def episode_open(*, actor, citizen, unit, pathway: Pathway | None = None) -> Episode:
    """A clinician opens an episode for a patient of the unit (points follow)."""
    with transaction.atomic():
        if not has_role(actor, Role.CLINICIAN, unit):
            raise PermissionDenied
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            raise PermissionDenied
        _check_pathway(pathway, unit)
        episode = Episode.objects.create(citizen=citizen, unit=unit, pathway=pathway, opened_by=actor)
        access_log_write(
            actor=actor,
            citizen=citizen,
            action=AccessLogEntry.Action.CREATE,
            object_type="episode",
            object_id=episode.pk,
            role=Role.CLINICIAN,
            unit=unit,
        )
    return episode


def _check_pathway(pathway: Pathway | None, unit) -> None:
    if pathway is not None and (pathway.region_id != unit.region_id or not pathway.active):
        raise ValidationError({"pathway": _("Choose a pathway your region uses.")})


def episode_pathway_set(*, actor, episode: Episode, pathway: Pathway | None) -> Episode:
    with transaction.atomic():
        episode = Episode.objects.select_for_update().select_related("unit", "citizen").get(pk=episode.pk)
        _clinician_with_relation(actor, episode)
        _check_pathway(pathway, episode.unit)
        old = episode.pathway_id
        episode.pathway = pathway
        episode.save(update_fields=["pathway"])
        _change_record(
            actor, episode, episode, "episode", "episode.pathway", {"old": old, "new": pathway and pathway.pk}
        )
    return episode


def episode_point_record(*, actor, episode: Episode, point: str, at: dt.datetime, note: str = "") -> EpisodePoint:
    """A clinician records a measurement point by hand. Each point once; points
    keep their order; none lies in the future; nothing after the episode closed
    (the end point G closes it)."""
    if point not in POINTS:
        raise ValidationError({"point": _("Choose a measurement point.")})
    note = typed_text(note, limit=MAX_NOTE, field="note").strip()
    _check_time(at)
    with transaction.atomic():
        episode = Episode.objects.select_for_update().select_related("unit", "citizen").get(pk=episode.pk)
        _clinician_with_relation(actor, episode)
        if episode.is_closed:
            raise ValidationError(_("The episode is closed; correct a point instead."))
        if episode.points.filter(point=point).exists():
            raise ValidationError({"point": _("%(point)s is already recorded; correct it instead.") % {"point": point}})
        _check_order(episode, point, at)
        made = EpisodePoint.objects.create(
            episode=episode, point=point, at=at, unit=episode.unit, recorded_by=actor, note=note
        )
        _close_if_ended(episode, point, at)
        _settle_targets(episode, point, actor)
        _point_recorded(episode, made, actor)
        _change_record(actor, episode, made, "episode_point", "episode.point", {"point": point, "at": at.isoformat()})
    return made


def episode_point_correct(*, actor, episode: Episode, point: str, at: dt.datetime, reason: str) -> EpisodePoint:
    """Correct a recorded point's time. The old value stays in the history with
    who changed it and why; the order of the points must still hold."""
    reason = typed_text(reason, limit=MAX_NOTE, field="reason").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the point is corrected.")})
    _check_time(at)
    with transaction.atomic():
        episode = Episode.objects.select_for_update().select_related("unit", "citizen").get(pk=episode.pk)
        _clinician_with_relation(actor, episode)
        recorded = episode.points.filter(point=point).first()
        if recorded is None:
            raise ValidationError({"point": _("%(point)s is not recorded yet.") % {"point": point}})
        if recorded.at == at:
            return recorded
        _check_order(episode, point, at, ignore=recorded.pk)
        EpisodePointCorrection.objects.create(
            point=recorded, old_at=recorded.at, new_at=at, reason=reason, corrected_by=actor
        )
        old = recorded.at
        recorded.at = at
        recorded.save(update_fields=["at"])
        if point == Point.G:
            episode.closed_at = at
            episode.save(update_fields=["closed_at"])
        _change_record(
            actor,
            episode,
            recorded,
            "episode_point",
            "episode.point.correct",
            {"point": point, "old": old.isoformat(), "new": at.isoformat(), "reason": reason},
        )
    return recorded


def episode_point_auto(
    *,
    citizen,
    unit,
    point: str,
    at: dt.datetime,
    source: str,
    source_id="",
    actor=None,
    open_new: bool = True,
    only_after: str | None = None,
) -> EpisodePoint | None:
    """Record a point from something that happened in Fyren (a program started, a
    self-enrolment, an end). It goes to the citizen's open episode at the unit —
    a new one when there is none and ``open_new`` — and only if the point is not
    recorded yet and the order holds: an event never overwrites what staff
    entered. With ``only_after``, only when that point is recorded (an
    assessment is the position on a request only when a request waits). Call
    inside the event's own transaction."""
    episode = (
        Episode.objects.select_for_update()
        .filter(citizen=citizen, unit=unit, status=Episode.Status.OPEN)
        .order_by("-opened_at")
        .first()
    )
    if episode is None:
        if not open_new:
            return None
        episode = Episode.objects.create(citizen=citizen, unit=unit, opened_by=actor, opened_at=at)
    if episode.points.filter(point=point).exists():
        return None
    if only_after and not episode.points.filter(point=only_after).exists():
        return None
    try:
        _check_order(episode, point, at)
    except ValidationError:
        return None
    made = EpisodePoint.objects.create(
        episode=episode,
        point=point,
        at=at,
        unit=unit,
        recorded_by=actor,
        source=source,
        source_id=str(source_id),
    )
    _close_if_ended(episode, point, at)
    _settle_targets(episode, point, actor)
    _point_recorded(episode, made, actor)
    return made


def episode_pause_add(
    *, actor, episode: Episode, kind: str, starts_on: dt.date, ends_on: dt.date | None, reason: str
) -> EpisodePause:
    """Record a wait the patient chose or a medically motivated pause. Pauses of
    one kind do not overlap; the lead times count their days apart."""
    if kind not in EpisodePause.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of wait.")})
    reason = typed_text(reason, limit=MAX_NOTE, field="reason").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The wait cannot end before it starts.")})
    with transaction.atomic():
        episode = Episode.objects.select_for_update().select_related("unit", "citizen").get(pk=episode.pk)
        _clinician_with_relation(actor, episode)
        if episode.is_closed:
            raise ValidationError(_("The episode is closed."))
        opened = timezone.localtime(episode.opened_at).date()
        first = episode.points.order_by("at").first()
        if first is not None:
            opened = min(opened, timezone.localtime(first.at).date())
        if starts_on < opened:
            raise ValidationError({"starts_on": _("The wait cannot start before the episode.")})
        for other in episode.pauses.filter(kind=kind):
            if (other.ends_on is None or other.ends_on >= starts_on) and (
                ends_on is None or ends_on >= other.starts_on
            ):
                raise ValidationError({"starts_on": _("It overlaps a wait of the same kind already recorded.")})
        pause = EpisodePause.objects.create(
            episode=episode, kind=kind, starts_on=starts_on, ends_on=ends_on, reason=reason, recorded_by=actor
        )
        _change_record(
            actor,
            episode,
            pause,
            "episode_pause",
            "episode.pause",
            {"kind": kind, "from": starts_on.isoformat(), "until": ends_on and ends_on.isoformat()},
            access=AccessLogEntry.Action.CREATE,
        )
    return pause


def episode_pause_end(*, actor, pause: EpisodePause, ends_on: dt.date) -> EpisodePause:
    """End an open wait on a day (not before it started)."""
    with transaction.atomic():
        pause = (
            EpisodePause.objects.select_for_update()
            .select_related("episode__unit", "episode__citizen")
            .get(pk=pause.pk)
        )
        _clinician_with_relation(actor, pause.episode)
        if pause.ends_on is not None:
            raise ValidationError(_("The wait has already ended."))
        if ends_on < pause.starts_on:
            raise ValidationError({"ends_on": _("The wait cannot end before it starts.")})
        pause.ends_on = ends_on
        pause.save(update_fields=["ends_on"])
        _change_record(
            actor, pause.episode, pause, "episode_pause", "episode.pause.end", {"until": ends_on.isoformat()}
        )
    return pause


# --- care requests --------------------------------------------------------------------------


def care_request_send(
    *,
    actor,
    citizen,
    from_unit,
    to_unit,
    reason: str,
    client_token,
    pathway: Pathway | None = None,
    decided_at: dt.datetime | None = None,
) -> CareRequest:
    """A clinician sends a care request for a patient of their unit to another
    unit. A is the decision to send (now, or a stated earlier time), B its
    arrival; the receiving unit sees the request, not the rest of the record.
    Sending the same form twice (``client_token``) makes one request."""
    token = uuid.UUID(str(client_token))
    earlier = CareRequest.objects.filter(client_token=token, from_unit=from_unit).first()
    if earlier is not None:
        return earlier
    reason = typed_text(reason, limit=5000, field="reason").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the request is about.")})
    now = timezone.now()
    decided_at = decided_at or now
    if decided_at > now + CLOCK_SKEW:
        raise ValidationError({"decided_at": _("The decision cannot lie in the future.")})
    if to_unit.pk == from_unit.pk:
        raise ValidationError({"to_unit": _("Choose another unit than your own.")})
    if not to_unit.is_active_on():
        raise ValidationError({"to_unit": _("The unit is not active.")})
    _check_pathway(pathway, to_unit)
    try:
        with transaction.atomic():
            if not has_role(actor, Role.CLINICIAN, from_unit):
                raise PermissionDenied
            if not CareRelation.objects.active().filter(citizen=citizen, unit=from_unit).exists():
                raise PermissionDenied
            episode = Episode.objects.create(
                citizen=citizen, unit=to_unit, pathway=pathway, status=Episode.Status.REQUESTED, opened_at=now
            )
            request = CareRequest.objects.create(
                citizen=citizen,
                from_unit=from_unit,
                to_unit=to_unit,
                pathway=pathway,
                reason=reason,
                decided_to_send_at=decided_at,
                sent_at=now,
                sent_by=actor,
                episode=episode,
                client_token=token,
            )
            sent_points = EpisodePoint.objects.bulk_create(
                [
                    EpisodePoint(
                        episode=episode,
                        point=Point.A,
                        at=decided_at,
                        unit=from_unit,
                        recorded_by=actor,
                        source=EpisodePoint.Source.REFERRAL_SENT,
                        source_id=str(request.pk),
                    ),
                    EpisodePoint(
                        episode=episode,
                        point=Point.B,
                        at=now,
                        unit=to_unit,
                        recorded_by=actor,
                        source=EpisodePoint.Source.REFERRAL_RECEIVED,
                        source_id=str(request.pk),
                    ),
                ]
            )
            for made in sent_points:
                _point_recorded(episode, made, actor)
            access_log_write(
                actor=actor,
                citizen=citizen,
                action=AccessLogEntry.Action.DISCLOSE,
                object_type="care_request",
                object_id=request.pk,
                role=Role.CLINICIAN,
                unit=from_unit,
                reason=str(to_unit),
            )
            audit_event_write(
                actor=actor, action="care_request.send", obj=request, unit=from_unit, data={"to_unit": to_unit.pk}
            )
    except IntegrityError:
        earlier = CareRequest.objects.filter(client_token=token, from_unit=from_unit).first()
        if earlier is None:
            raise
        return earlier
    return request


def care_request_decide(*, actor, request: CareRequest, accept: bool, reason: str = "") -> CareRequest:
    """The receiving unit takes its position (C): accepting opens the episode and
    a care relation there (the unit may read the record from then on);
    declining needs a reason and closes the episode."""
    reason = typed_text(reason, limit=MAX_NOTE, field="reason").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    with transaction.atomic():
        request = (
            CareRequest.objects.select_for_update().select_related("to_unit", "citizen", "episode").get(pk=request.pk)
        )
        role = care_role(actor, request.to_unit)
        if not role:
            raise PermissionDenied
        if request.status != CareRequest.Status.SENT:
            return request
        now = timezone.now()
        request.status = CareRequest.Status.ACCEPTED if accept else CareRequest.Status.DECLINED
        request.decided_at, request.decided_by, request.decline_reason = now, actor, "" if accept else reason
        request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
        episode = request.episode
        decided = EpisodePoint.objects.create(
            episode=episode,
            point=Point.C,
            at=now,
            unit=request.to_unit,
            recorded_by=actor,
            source=EpisodePoint.Source.REFERRAL_DECIDED,
            source_id=str(request.pk),
            note=reason,
        )
        episode.status = Episode.Status.OPEN if accept else Episode.Status.DECLINED
        episode.closed_at = None if accept else now
        episode.opened_by = actor
        episode.save(update_fields=["status", "closed_at", "opened_by"])
        _settle_targets(episode, Point.C, actor)
        _point_recorded(episode, decided, actor)
        if accept and not CareRelation.objects.active().filter(citizen=request.citizen, unit=request.to_unit).exists():
            CareRelation.objects.create(
                citizen=request.citizen, unit=request.to_unit, started_by=actor, reason="care_request"
            )
        change_record(
            actor=actor,
            citizen=request.citizen,
            obj=request,
            object_type="care_request",
            event="care_request.accept" if accept else "care_request.decline",
            role=role,
            unit=request.to_unit,
            data={"reason": reason},
        )
    return request
