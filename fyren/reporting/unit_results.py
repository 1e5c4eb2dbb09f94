"""A unit's own results beside its region's (#32, "återkoppling av resultat
till verksamheterna"): who started programs by sex and age band, how the care
guarantee's measures went, and the lead times of the region's care pathways.
Figures only, in a fixed number of grouped queries per part; small counts are
hidden by the one rule (``lib.suppression``) in the view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fyren.booking.guarantee import LABELS, MEASURES
from fyren.booking.selectors import guarantee_report
from fyren.care.models import Enrolment
from fyren.episodes import leadtimes
from fyren.episodes.models import Episode, PathwayTarget
from fyren.episodes.selectors import lead_time_report, pathways_for_units
from fyren.people.identity import age_on

# Age at the start of the program.
AGE_BANDS = ((0, 17), (18, 29), (30, 44), (45, 64), (65, None))


def band_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"{low}+"


def band_of(age: int) -> str:
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return band_label(low, high)
    return band_label(*AGE_BANDS[-1])


@dataclass
class GroupRow:
    """One age band: programs started by women and men, and how many of them were completed."""

    band: str
    counts: dict[str, int] = field(default_factory=dict)  # F, M, all, completed
    hidden: set[str] = field(default_factory=set)


def _period(start: dt.date, end: dt.date):
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return begin, until


def started_by_group(*, units, start: dt.date, end: dt.date) -> list[GroupRow]:
    """Enrolments started at ``units`` in the period by age band (at the start) and legal sex."""
    begin, until = _period(start, end)
    rows = {band_label(low, high): GroupRow(band_label(low, high)) for low, high in AGE_BANDS}
    found = (
        Enrolment.objects.filter(unit__in=units, started_at__gte=begin, started_at__lt=until)
        .values_list("citizen__legal_sex", "citizen__birth_date", "started_at", "status")
        .order_by()
    )
    for sex, birth, started_at, status in found:
        row = rows[band_of(age_on(birth, timezone.localtime(started_at).date()))]
        for key in (sex, "all") + (("completed",) if status == Enrolment.Status.COMPLETED else ()):
            row.counts[key] = row.counts.get(key, 0) + 1
    for row in rows.values():
        for key in ("F", "M", "all", "completed"):
            row.counts.setdefault(key, 0)
    total = GroupRow(
        str(_("All ages")), {k: sum(r.counts[k] for r in rows.values()) for k in ("F", "M", "all", "completed")}
    )
    return [*rows.values(), total]


@dataclass
class GuaranteeTotal:
    measure: str
    label: str
    limit: int
    completed: int = 0
    within: int = 0
    hidden: set[str] = field(default_factory=set)

    @property
    def share(self) -> float | None:
        return round(100 * self.within / self.completed, 1) if self.completed else None


def guarantee_totals(*, units, start: dt.date, end: dt.date) -> list[GuaranteeTotal]:
    """Per measure of the care guarantee, the steps reached in the period and how
    many within the limit, summed over ``units`` and months."""
    found: dict[str, GuaranteeTotal] = {}
    for row in guarantee_report(units=units, start=start, end=end):
        f = row.figures
        total = found.setdefault(f.measure, GuaranteeTotal(f.measure, str(LABELS[f.measure]), f.limit))
        total.completed += f.completed
        total.within += f.within
    order = list(MEASURES)
    return sorted(found.values(), key=lambda t: order.index(t.measure))


@dataclass
class LeadComparison:
    pathway: str
    from_point: str
    to_point: str
    target: int | None
    unit: leadtimes.Summary
    region: leadtimes.Summary
    hidden_unit: set[str] = field(default_factory=set)
    hidden_region: set[str] = field(default_factory=set)

    @property
    def unit_percent(self) -> float | None:
        share = self.unit.share_within
        return None if share is None else round(100 * share, 1)

    @property
    def region_percent(self) -> float | None:
        share = self.region.share_within
        return None if share is None else round(100 * share, 1)


def lead_times(*, unit, region_units, start: dt.date, end: dt.date) -> list[LeadComparison]:
    """For each target of the region's pathways the unit has episodes in, the lead
    times at the unit and across the region's units."""
    found = []
    used = set(Episode.objects.filter(unit=unit).values_list("pathway_id", flat=True).distinct())
    for pathway in (p for p in pathways_for_units([unit]) if p.pk in used):
        for target in PathwayTarget.objects.filter(pathway=pathway).order_by("from_point", "to_point"):
            rows, target_days = lead_time_report(
                units=region_units,
                pathway=pathway,
                from_point=target.from_point,
                to_point=target.to_point,
                start=start,
                end=end,
            )
            mine = [lead for row in rows if row.unit.pk == unit.pk for lead in row.leads]
            everyone = [lead for row in rows for lead in row.leads]
            found.append(
                LeadComparison(
                    pathway.name,
                    target.from_point,
                    target.to_point,
                    target_days,
                    leadtimes.summarise(mine, target_days),
                    leadtimes.summarise(everyone, target_days),
                )
            )
    return found
