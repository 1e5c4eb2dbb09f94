"""A unit's own results, for its manager (#32): program use and outcomes,
who started by sex and age band, the care guarantee and lead times, each beside
the region's figures, under the one small-count rule. Aggregates only: no
patient is named, so nothing is read into the access log; the look is audited."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write
from fyren.lib.db_router import replica_reads
from fyren.lib.forms import query_or_defaults
from fyren.lib.suppression import HIDDEN, hidden_figures
from fyren.organisations.models import CareUnit

from .forms import UnitResultsForm
from .selectors import program_outcomes
from .unit_results import guarantee_totals, lead_times, started_by_group
from .views import suppress_outcomes


def _shown(obj, attr: str, hidden_key: str | None = None):
    """A figure as shown: ".." when hidden by the small-count rule, "–" when there is none."""
    if obj is None:
        return "–"
    if (hidden_key or attr) in getattr(obj, "hidden", set()):
        return HIDDEN
    value = getattr(obj, attr)
    return "–" if value is None else value


def _version_rows(mine, theirs) -> list[tuple[str, object, object]]:
    return [
        (label, _shown(mine, attr), _shown(theirs, attr))
        for label, attr in (
            (_("Started"), "started"),
            (_("Completed"), "completed"),
            (_("Ended early"), "discontinued"),
            (_("Still open"), "still_open"),
            (_("Reached the last module"), "reached_last"),
        )
    ]


def _instrument_rows(mine, theirs) -> list[tuple[str, list]]:
    """Per questionnaire, the unit's and the region's change from first to last score."""
    regional = {i.code: i for i in (theirs.instruments if theirs else [])}
    rows = []
    for i in mine.instruments:
        r = regional.get(i.code)
        figures = [
            (_("Enrolments with two scores"), _shown(i, "n"), _shown(r, "n")),
            (_("Mean first"), _shown(i, "mean_baseline", "means"), _shown(r, "mean_baseline", "means")),
            (_("Mean last"), _shown(i, "mean_last", "means"), _shown(r, "mean_last", "means")),
            (_("Improved (%)"), _shown(i, "share_improved", "improved"), _shown(r, "share_improved", "improved")),
            (
                _("Deteriorated (%)"),
                _shown(i, "share_deteriorated", "deteriorated"),
                _shown(r, "share_deteriorated", "deteriorated"),
            ),
        ]
        rows.append((i.name, figures))
    return rows


def _hide_groups(rows, threshold: int) -> None:
    hidden = hidden_figures([r.counts for r in rows], threshold, splits=[(("F", "M"), "all")])
    for row, names in zip(rows, hidden, strict=True):
        row.hidden = names


def _hide_guarantee(totals, threshold: int) -> None:
    hidden = hidden_figures(
        [{"completed": t.completed, "within": t.within} for t in totals], threshold, derived={"share": "within"}
    )
    for total, names in zip(totals, hidden, strict=True):
        total.hidden = names


def _hide_leads(comparisons, threshold: int) -> None:
    derived = {"median": "count", "p80": "count", "share": "within"}
    for c in comparisons:
        for side in ("unit", "region"):
            summary = getattr(c, side)
            (names,) = hidden_figures(
                [{"count": summary.count, "within": summary.within_target or 0}], threshold, derived=derived
            )
            setattr(c, f"hidden_{side}", names)


@staff_required
@replica_reads()
def unit_results(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.UNIT_MANAGER)
    today = timezone.localdate()
    initial = {"start": today - dt.timedelta(days=364), "end": today, "threshold": 5}
    form = UnitResultsForm(query_or_defaults(request, initial), initial=initial)
    context: dict = {"unit": unit, "form": form}
    if not form.is_valid():
        return render(request, "reporting/unit_results.html", context, status=400)
    d = form.cleaned_data
    start, end, threshold = d["start"], d["end"], d.get("threshold") or 0
    region_units = list(CareUnit.objects.filter(region_id=unit.region_id))
    mine = program_outcomes(units=[unit], start=start, end=end)
    region = {o.version_id: o for o in program_outcomes(units=region_units, start=start, end=end)}
    suppress_outcomes(mine, threshold)
    suppress_outcomes(list(region.values()), threshold)
    groups = {"unit": started_by_group(units=[unit], start=start, end=end)}
    groups["region"] = started_by_group(units=region_units, start=start, end=end)
    guarantee = {
        "unit": guarantee_totals(units=[unit], start=start, end=end),
        "region": guarantee_totals(units=region_units, start=start, end=end),
    }
    for rows in groups.values():
        _hide_groups(rows, threshold)
    for totals in guarantee.values():
        _hide_guarantee(totals, threshold)
    leads = lead_times(unit=unit, region_units=region_units, start=start, end=end)
    _hide_leads(leads, threshold)
    regional = {t.measure: t for t in guarantee["region"]}
    audit_event_write(
        actor=request.user,
        action="report.unit_results",
        object_type="reporting",
        unit=unit,
        data={"start": str(start), "end": str(end), "threshold": threshold},
    )
    context.update(
        outcomes=[
            {
                "title": o.title,
                "number": o.number,
                "id": o.version_id,
                "rows": _version_rows(o, region.get(o.version_id)),
                "instruments": _instrument_rows(o, region.get(o.version_id)),
            }
            for o in mine
        ],
        group_rows=list(zip(groups["unit"], groups["region"], strict=True)),
        guarantee_rows=[(t, regional.get(t.measure)) for t in guarantee["unit"]],
        leads=leads,
        threshold=threshold,
    )
    return render(request, "reporting/unit_results.html", context)
