"""A region's care pathways (its care-provider admins define them) and lead-time
figures for analysts: a table, a chart, CSV and XLSX, and the pathway points
with their codes for the region's reporting."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import regions_where
from fyren.accounts.roles import Role
from fyren.audit.services import audit_event_write
from fyren.lib import spreadsheets
from fyren.lib.charts import bar_chart
from fyren.lib.db_router import replica_reads
from fyren.lib.forms import form_call, query_or_defaults
from fyren.lib.suppression import HIDDEN, Cell, hidden_figures, suppress

from . import services
from .charts import lead_time_chart
from .forms import CodesForm, PathwayForm, ReportForm, TargetForm
from .models import Pathway, PathwayCode
from .selectors import lead_time_report, pathways_for_units, point_export_rows, units_for_analyst


def _admin_regions(user):
    regions = list(regions_where(user, Role.CARE_PROVIDER_ADMIN))
    if not regions:
        raise Http404
    return regions


@staff_required
def pathway_list(request):
    regions = _admin_regions(request.user)
    form = PathwayForm(request.POST or None, initial={"active": True})
    region = regions[0]
    if len(regions) > 1 and request.POST.get("region"):
        region = next((r for r in regions if str(r.pk) == request.POST["region"]), region)
    if request.method == "POST":

        def create(d):
            request.made = services.pathway_save(
                actor=request.user, region=region, name=d["name"], area=d["area"], active=d["active"]
            )

        if form_call(form, create):
            messages.success(request, _("The pathway is created. Set its targets and codes."))
            return redirect("episodes:pathway", pathway_id=request.made.pk)
    pathways = Pathway.objects.filter(region__in=regions).select_related("region").prefetch_related("targets")
    return render(
        request,
        "episodes/pathways.html",
        {"form": form, "pathways": pathways, "regions": regions},
        status=400 if form.errors else 200,
    )


@staff_required
def pathway_view(request, pathway_id):
    regions = _admin_regions(request.user)
    pathway = Pathway.objects.filter(pk=pathway_id, region__in=regions).select_related("region").first()
    if pathway is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    year = _year(request.GET.get("year"))
    codes_initial = {"year": year} | {
        f"code_{c.point}": c.code for c in PathwayCode.objects.filter(pathway=pathway, year=year)
    }
    codes_form = CodesForm(post if action == "codes" else None, prefix="codes", initial=codes_initial)
    forms = {
        "pathway": PathwayForm(
            post if action == "pathway" else None,
            prefix="pathway",
            initial={"name": pathway.name, "area": pathway.area, "active": pathway.active},
        ),
        "target": TargetForm(post if action == "target" else None, prefix="target"),
        "codes": codes_form,
    }
    actor = request.user
    calls = {
        "pathway": lambda d: services.pathway_save(
            actor=actor, region=pathway.region, pathway=pathway, name=d["name"], area=d["area"], active=d["active"]
        ),
        "target": lambda d: services.pathway_target_set(
            actor=actor,
            pathway=pathway,
            from_point=d["from_point"],
            to_point=d["to_point"],
            days=d["days"],
            warn_days_before=d["warn_days_before"] if d["warn_days_before"] is not None else 1,
        ),
        "codes": lambda d: services.pathway_codes_set(
            actor=actor, pathway=pathway, year=d["year"], codes=codes_form.codes()
        ),
    }
    if action in calls:
        if form_call(forms[action], calls[action]):
            messages.success(request, _("Saved."))
            suffix = f"?year={forms['codes'].cleaned_data['year']}" if action == "codes" else ""
            return redirect(request.path + suffix)
    elif action is not None:
        raise Http404
    return render(
        request,
        "episodes/pathway.html",
        {
            "pathway": pathway,
            "forms": forms,
            "targets": pathway.targets.all(),
            "years": sorted(set(pathway.codes.values_list("year", flat=True)), reverse=True),
            "year": year,
        },
        status=400 if action else 200,
    )


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- analysts -------------------------------------------------------------------------------


@staff_required
@replica_reads()
def lead_times(request):
    """Lead times per unit for one pathway, pair of points and period: count,
    median, 80th percentile, share within target, patient-chosen waits apart."""
    units = units_for_analyst(request.user)
    if not units:
        raise Http404
    pathways = pathways_for_units(units)
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today, "from_point": "B", "to_point": "E"}
    initial |= {"pathway": pathways[0].pk} if pathways else {}
    form = ReportForm(
        query_or_defaults(request, initial) if request.GET or pathways else None,
        pathways=Pathway.objects.filter(pk__in=[p.pk for p in pathways]),
        initial=initial,
    )
    rows, target, chart, distribution = None, None, None, None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        fmt = request.GET.get("format", "")
        if fmt == "points":
            return _points_csv(request, units, d)
        rows, target = lead_time_report(
            units=units,
            pathway=d["pathway"],
            from_point=d["from_point"],
            to_point=d["to_point"],
            start=d["start"],
            end=d["end"],
            by_month=d.get("by_month") or False,
        )
        _suppress(rows, d.get("threshold") or 0)
        distribution = _distribution(rows, d.get("threshold") or 0)
        # Every run is audited, shown or downloaded.
        audit_event_write(
            actor=request.user,
            action="report.lead_times",
            object_type="pathway",
            object_id=d["pathway"].pk,
            data={
                "format": fmt or "page",
                "from": d["from_point"],
                "to": d["to_point"],
                "start": str(d["start"]),
                "end": str(d["end"]),
                "threshold": d.get("threshold") or 0,
            },
        )
        if fmt in ("csv", "xlsx"):
            return _download(rows, target, d, fmt)
        chart = lead_time_chart([r for r in rows if "median" not in r.hidden], target)
    return render(
        request,
        "episodes/lead_times.html",
        {
            "form": form,
            "rows": rows,
            "target": target,
            "chart": chart,
            "has_pathways": bool(pathways),
            "hidden_keys": ("count", "median", "p80", "within", "patient_days", "medical_days", "running"),
            "distribution": distribution,
            "by_month": any(r.month for r in rows or ()),
        },
        status=400 if form.errors else 200,
    )


HEADER = [
    "unit",
    "unit_hsa_id",
    "count",
    "median_days",
    "p80_days",
    "target_days",
    "within_target",
    "share_within_target",
    "patient_chosen_wait_days",
    "medical_pause_days",
    "episodes_with_patient_wait",
    "running",
    "month",
]


# Bands of counted days for the distribution chart.
DAY_BANDS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None))


def _distribution(rows, threshold: int):
    """How many lead times fell in each band of days (all units together), as a
    chart; small counts hidden like the table's."""
    counts = [0] * len(DAY_BANDS)
    for r in rows:
        for lead in r.leads:
            days = lead.counted_days
            counts[next(i for i, (low, high) in enumerate(DAY_BANDS) if high is None or days <= high)] += 1
    if not sum(counts):
        return None
    cells = {str(i): Cell(n) for i, n in enumerate(counts)} | {"total": Cell(sum(counts))}
    suppress([cells], threshold, splits=[(tuple(str(i) for i in range(len(counts))), "total")])
    items = [
        (f"{low}–{high}" if high is not None else f"> {low - 1}", cells[str(i)].shown, None)
        for i, (low, high) in enumerate(DAY_BANDS)
    ]
    return bar_chart(items) if not cells["total"].hidden else None


# Figures computed from the episodes counted: hidden when the count is.
DERIVED = ("median", "p80", "share", "patient_days", "medical_days")


def _suppress(rows, threshold: int) -> None:
    """Small counts hidden (``lib.suppression``): each row gets ``hidden``, the
    names of its figures not to show."""
    counts = [
        {
            "count": r.summary.count,
            "within": r.summary.within_target,
            "with_patient_wait": r.summary.with_patient_wait,
            "running": r.running,
        }
        for r in rows
    ]
    for r, hidden in zip(rows, hidden_figures(counts, threshold, derived=dict.fromkeys(DERIVED, "count")), strict=True):
        r.hidden = hidden


def _row(r, target):
    """A row of the files in the order of ``HEADER``; a hidden figure is ``..``."""
    s = r.summary
    share = round(s.share_within, 3) if s.share_within is not None else None
    figures = [
        ("count", s.count),
        ("median", s.median),
        ("p80", s.p80),
        ("", target),
        ("within", s.within_target),
        ("share", share),
        ("patient_days", s.patient_days),
        ("medical_days", s.medical_days),
        ("with_patient_wait", s.with_patient_wait),
        ("running", r.running),
    ]
    shown = [HIDDEN if key and key in r.hidden else value for key, value in figures]
    return [r.unit.name, r.unit.hsa_id, *shown, f"{r.month:%Y-%m}" if r.month else ""]


def _filename(d, ext: str) -> str:
    return f"lead-times-{d['pathway'].pk}-{d['from_point']}{d['to_point']}-{d['start']:%Y%m%d}-{d['end']:%Y%m%d}.{ext}"


def _download(rows, target, d, fmt: str) -> HttpResponse:
    if fmt == "csv":
        text = spreadsheets.csv_text([HEADER, *(["" if v is None else v for v in _row(r, target)] for r in rows)])
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    else:
        lines = [
            ["pathway", d["pathway"].name, "points", f"{d['from_point']}-{d['to_point']}"],
            ["period", d["start"].isoformat(), d["end"].isoformat()],
            HEADER,
            *(_row(r, target) for r in rows),
        ]
        response = HttpResponse(
            spreadsheets.xlsx_bytes([("Lead times", lines)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(d, fmt)}"'
    return response


def _points_csv(request, units, d) -> HttpResponse:
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    writer.writerow(["episode", "unit_hsa_id", "pathway", "point", "code", "date", "source"])
    n = 0
    for row in point_export_rows(units=units, pathway=d["pathway"], start=d["start"], end=d["end"]):
        writer.writerow(row.values())
        n += 1
    audit_event_write(
        actor=request.user,
        action="report.pathway_points",
        object_type="pathway",
        object_id=d["pathway"].pk,
        data={"rows": n, "start": str(d["start"]), "end": str(d["end"])},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"pathway-points-{d['pathway'].pk}-{d['start']:%Y%m%d}-{d['end']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
