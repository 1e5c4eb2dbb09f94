"""The care guarantee for analysts: the share of contacts within each limit per
unit and month, and the monthly file in the columns of the national
waiting-time database (figures only, never a patient; columns in
``docs/waiting-times.md``)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fyren.accounts.decorators import staff_required
from fyren.audit.services import audit_event_write
from fyren.episodes.selectors import units_for_analyst
from fyren.lib import spreadsheets
from fyren.lib.charts import bar_chart
from fyren.lib.db_router import replica_reads
from fyren.lib.forms import query_or_defaults
from fyren.lib.suppression import HIDDEN, hidden_figures

from .forms import GuaranteeReportForm
from .guarantee import BANDS, band_name
from .selectors import GuaranteeRow, guarantee_report

BAND_NAMES = [band_name(low, high) for low, high in BANDS]
HEADER = [
    "period",
    "region",
    "unit_hsa_id",
    "unit_name",
    "level",
    "measure",
    "limit_days",
    "completed",
    "completed_within_limit",
    "share_within_limit",
    *[f"completed_{b}" for b in BAND_NAMES],
    "waiting",
    "waiting_over_limit",
    *[f"waiting_{b}" for b in BAND_NAMES],
    "patient_chosen_wait_cases",
]


COUNTS = ("completed", "within", "waiting", "waiting_over_limit", "patient_wait_cases")


def suppress_rows(rows: list[GuaranteeRow], threshold: int) -> None:
    """Small counts hidden (``lib.suppression``): the day bands add up to the
    completed and the waiting cases; the share goes with the count it is of."""
    counts = []
    for row in rows:
        f = row.figures
        found = {key: getattr(f, key) for key in COUNTS}
        for band in BAND_NAMES:
            found[f"completed_{band}"] = f.completed_bands.get(band, 0)
            found[f"waiting_{band}"] = f.waiting_bands.get(band, 0)
        counts.append(found)
    hidden = hidden_figures(
        counts,
        threshold,
        splits=[
            (tuple(f"completed_{b}" for b in BAND_NAMES), "completed"),
            (tuple(f"waiting_{b}" for b in BAND_NAMES), "waiting"),
        ],
        derived={"share": "within"},
    )
    for row, names in zip(rows, hidden, strict=True):
        row.hidden = names | ({"share"} if "completed" in names else set())


def csv_row(row: GuaranteeRow) -> list:
    if row.hidden:
        return [HIDDEN if _key(k) in row.hidden else v for k, v in zip(HEADER, _plain(row), strict=True)]
    return _plain(row)


def _key(column: str) -> str:
    return {
        "completed_within_limit": "within",
        "share_within_limit": "share",
        "patient_chosen_wait_cases": "patient_wait_cases",
    }.get(column, column)


def _plain(row: GuaranteeRow) -> list:
    f = row.figures
    share = f.share_within
    return [
        f"{row.month:%Y-%m}",
        row.unit.region.name,
        row.unit.hsa_id,
        row.unit.name,
        f.level,
        f.measure,
        f.limit,
        f.completed,
        f.within,
        "" if share is None else f"{share:.3f}",
        *[f.completed_bands.get(b, 0) for b in BAND_NAMES],
        f.waiting,
        f.waiting_over_limit,
        *[f.waiting_bands.get(b, 0) for b in BAND_NAMES],
        f.patient_wait_cases,
    ]


@staff_required
@replica_reads()
def guarantee_figures(request):
    """Per unit, month and measure: completed, within the limit, the share,
    still waiting; as a table or the monthly CSV."""
    units = units_for_analyst(request.user)
    if not units:
        raise Http404
    today = timezone.localdate()
    initial = {"start": f"{today:%Y}-01", "end": f"{today:%Y-%m}"}
    form = GuaranteeReportForm(query_or_defaults(request, initial), initial=initial)
    rows = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = guarantee_report(units=units, start=start, end=end, today=today)
        suppress_rows(rows, form.cleaned_data.get("threshold") or 0)
        fmt = request.GET.get("format") or "page"
        audit_event_write(  # every run, shown or downloaded
            actor=request.user,
            action="report.guarantee",
            object_type="guarantee",
            data={"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}", "rows": len(rows), "format": fmt},
        )
        if fmt == "csv":
            text = spreadsheets.csv_text([HEADER, *(csv_row(r) for r in rows)])
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="care-guarantee-{start:%Y-%m}-{end:%Y-%m}.csv"'
            return response
    return render(
        request,
        "booking/guarantee_figures.html",
        {"form": form, "rows": rows, "chart": _chart(rows)},
        status=400 if form.errors else 200,
    )


def _chart(rows):
    """The share within the limit per unit and measure in the last month shown."""
    if not rows:
        return None
    last = max(r.month for r in rows)
    items = [
        (f"{r.unit.name[:16]}: {r.figures.label[:18]}", round(100 * r.figures.share_within), None)
        for r in rows
        if r.month == last and r.figures.share_within is not None and "share" not in r.hidden
    ]
    return bar_chart(items)
