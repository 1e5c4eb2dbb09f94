"""Measurement points recorded from what happens to enrolments (connected in
``apps.py`` to ``care.signals``). Each runs inside the enrolment service's
transaction; a point already entered by staff is never overwritten.

    self-enrolment            → B (the citizen's request)          and E (started)
    started by care staff     → C (assessment, if a request waits),  D (decision), E (started)
    the last open program at
    the unit ends             → F (end decided) and G (ended)
"""

from fyren.care.models import Enrolment

from .models import EpisodePoint, Point
from .services import episode_point_auto

S = EpisodePoint.Source


def on_enrolment_started(sender, *, enrolment, actor, at, **kwargs):
    def record(point, source, **extra):
        episode_point_auto(
            citizen=enrolment.citizen,
            unit=enrolment.unit,
            point=point,
            at=at,
            source=source,
            source_id=enrolment.pk,
            actor=actor,
            **extra,
        )

    if enrolment.start_kind == Enrolment.StartKind.SELF:
        record(Point.B, S.SELF_ENROLMENT)
    else:
        record(Point.C, S.ASSESSMENT, only_after=Point.B)
        record(Point.D, S.ASSESSMENT)
    record(Point.E, S.ENROLMENT_STARTED)


def on_enrolment_ended(sender, *, enrolment, actor, at, **kwargs):
    still_open = (
        Enrolment.objects.filter(
            citizen_id=enrolment.citizen_id, unit_id=enrolment.unit_id, status__in=Enrolment.OPEN_STATUSES
        )
        .exclude(pk=enrolment.pk)
        .exists()
    )
    if still_open:
        return
    for point, source in ((Point.F, S.END_DECIDED), (Point.G, S.ENROLMENT_ENDED)):
        episode_point_auto(
            citizen=enrolment.citizen,
            unit=enrolment.unit,
            point=point,
            at=at,
            source=source,
            source_id=enrolment.pk,
            actor=actor,
            open_new=False,
        )
