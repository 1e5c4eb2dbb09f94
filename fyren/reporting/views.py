"""Reporting for analysts: imports (browser), the national report for a year with
its charts and files, and what changed since the last export. Figures only."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.audit.services import audit_event_write
from fyren.lib import spreadsheets
from fyren.lib.charts import bar_chart
from fyren.lib.db_router import replica_reads
from fyren.lib.forms import form_call, query_or_defaults
from fyren.lib.suppression import hidden_figures

from . import services
from .files import table_csv, workbook
from .forms import ImportForm, NationalReportForm, OutcomesForm
from .models import ReportExport
from .national import COUNTRY, Rules, changed_since, default_rules, figures_of
from .outcomes import BenefitAssumptions, benefit
from .scope import is_analyst, region_codes_for
from .selectors import (
    import_run_or_404,
    import_runs_for,
    national_report,
    program_outcomes,
    tables_for,
    units_in_scope,
    years_with_treatments,
)


def _analyst(request):
    if not is_analyst(request.user):
        raise Http404


@staff_required
def home(request):
    """Imports: upload a file, see every import with its result."""
    _analyst(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    made: dict = {}

    def run_import(d):
        data = d["file"].read()
        common = {"actor": request.user, "data": data, "filename": d["file"].name, "mode": d["mode"]}
        if d["kind"] == "treatments":
            made["run"] = services.treatments_import(**common, source=d["source"])
        else:
            made["run"] = services.population_import(**common)

    if request.method == "POST" and form_call(form, run_import):
        run = made["run"]
        if run.status == "refused":
            messages.error(request, _("Nothing was stored: correct the rows listed and import the file again."))
        else:
            messages.success(request, _("The file is imported."))
        return redirect("reporting:import", run_id=run.pk)
    return render(
        request,
        "reporting/home.html",
        {"form": form, "runs": import_runs_for(request.user), "codes": region_codes_for(request.user)},
        status=400 if form.errors else 200,
    )


@staff_required
def import_view(request, run_id):
    _analyst(request)
    run = import_run_or_404(request.user, run_id)
    return render(request, "reporting/import.html", {"run": run, "form": ImportForm(initial={"kind": run.kind})})


@staff_required
def import_rejected(request, run_id):
    """The rejected rows of an import, with their line and what was wrong."""
    _analyst(request)
    run = import_run_or_404(request.user, run_id)
    if not run.rejected_rows:
        raise Http404
    # Written through the safe writer again: rows stored before it existed are defused too.
    rows = csv.reader(io.StringIO(run.rejected_rows))
    response = HttpResponse(spreadsheets.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{run.pk}.csv"'
    return response


def rules_from(d) -> Rules:
    rules = default_rules(d["year"], threshold=d.get("threshold") or 0)
    return Rules(
        rules.year,
        count_by=d.get("count_by") or rules.count_by,
        age_from=d["age_from"] if d.get("age_from") is not None else rules.age_from,
        age_to=d["age_to"] if d.get("age_to") is not None else rules.age_to,
        threshold=rules.threshold,
    )


@staff_required
@replica_reads()
def national(request):
    """The national follow-up for a year: tables 1–7, charts, CSV per table and XLSX."""
    _analyst(request)
    initial = NationalReportForm.initial_for(years_with_treatments())
    form = NationalReportForm(query_or_defaults(request, initial), initial=initial)
    if not form.is_valid():
        return render(request, "reporting/national.html", {"form": form}, status=400 if form.errors else 200)
    d = form.cleaned_data
    rules = rules_from(d)
    years = d["years"] or [rules.year]
    if rules.year not in years:
        years = sorted([*years, rules.year])
    tables = tables_for(request.user, national_report(rules, years))
    figures = figures_of(tables)
    audit_event_write(  # every run; an export is recorded (and audited) as well
        actor=request.user,
        action="reporting.national.run",
        object_type="reporting",
        data={**rules.as_dict(), "years": years, "format": request.GET.get("format", "") or "page"},
    )
    last = ReportExport.objects.filter(year=rules.year, settings=rules.as_dict(), exported_by=request.user).first()
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        services.report_export_record(actor=request.user, rules=rules, figures=figures, fmt=fmt)
        if fmt == "xlsx":
            data = workbook(tables, title=_report_title(rules))
            response = HttpResponse(
                data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="national-report-{rules.year}.xlsx"'
            return response
        table = next((t for t in tables if t.key == request.GET.get("table")), None)
        if table is None:
            raise Http404
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="national-report-{rules.year}-{table.key}.csv"'
        return response
    return render(
        request,
        "reporting/national.html",
        {
            "form": form,
            "rules": rules,
            "title": _report_title(rules),
            "tables": tables,
            "charts": _charts(tables),
            "last_export": last,
            "changes": changed_since(last.figures, figures) if last else None,
            "query": request.GET.urlencode(),
        },
    )


def _report_title(rules: Rules) -> str:
    values = {
        "year": rules.year,
        "rule": _("completion") if rules.count_by == "completed" else _("start"),
        "low": rules.age_from,
        "high": rules.age_to,
        "n": rules.threshold,
    }
    title = _("Treatments %(year)s, counted by the %(rule)s date, ages %(low)d–%(high)d") % values
    if rules.threshold:
        title += "; " + _("counts below %(n)d hidden") % values
    return title


def _charts(tables) -> list[dict]:
    """Per 1000 inhabitants per region with the country as the line (tables 1 and
    2), and the country's rate over the years (tables 6 and 7)."""
    charts = []
    for key, column, title in (
        ("T1", "MMR_per_1000", _("MMR per 1000 inhabitants by region; the line is the whole country.")),
        ("T2", "KBT_IPT_per_1000", _("KBT and IPT per 1000 inhabitants by region; the line is the whole country.")),
    ):
        table = next(t for t in tables if t.key == key)
        country = table.row(COUNTRY).cells[column].shown
        items = [(r.name, r.cells[column].shown, None) for r in table.rows if r.code != COUNTRY]
        chart = bar_chart(items, line=country)
        if chart:
            charts.append({"id": f"chart-{key}", "title": title, "chart": chart, "table": key})
    for key, title in (
        ("T6", _("MMR per 1000 inhabitants in the whole country, by year.")),
        ("T7", _("KBT and IPT per 1000 inhabitants in the whole country, by year.")),
    ):
        table = next(t for t in tables if t.key == key)
        country = table.row(COUNTRY)
        items = [
            # the column key is "<year>_per_1000"
            (key.split("_")[0], country.cells[key].shown, None)
            for key, _label in table.columns
            if key.endswith("_per_1000")
        ]
        chart = bar_chart(items)
        if chart:
            charts.append({"id": f"chart-{key}", "title": title, "chart": chart, "table": key})
    return charts


# --- program outcomes ----------------------------------------------------------------------------


@staff_required
@replica_reads()
def programs(request):
    """Use and outcomes per program version at the units in the analyst's scope,
    and the benefit of the digital contacts on stated assumptions."""
    _analyst(request)
    today = timezone.localdate()
    assumptions = BenefitAssumptions.from_mapping(settings.FYREN_BENEFIT_ASSUMPTIONS)
    initial = {"start": today.replace(month=1, day=1), "end": today, "threshold": 0, **asdict(assumptions)}
    form = OutcomesForm(query_or_defaults(request, initial), initial=initial)
    if not form.is_valid():
        return render(request, "reporting/programs.html", {"form": form}, status=400 if form.errors else 200)
    d = form.cleaned_data
    outcomes = program_outcomes(units=units_in_scope(request.user), start=d["start"], end=d["end"])
    suppress_outcomes(outcomes, d.get("threshold") or 0)
    assumptions = BenefitAssumptions.from_mapping(d)
    audit_event_write(
        actor=request.user,
        action="report.programs",
        object_type="reporting",
        data={"start": str(d["start"]), "end": str(d["end"]), "threshold": d.get("threshold") or 0},
    )
    return render(
        request,
        "reporting/programs.html",
        {
            "form": form,
            "outcomes": outcomes,
            "benefit": benefit(sum(o.digital_contacts for o in outcomes), assumptions),
            "assumptions": assumptions,
        },
    )


VERSION_COUNTS = ("started", "completed", "discontinued", "handed_over", "still_open", "reached_last")


def suppress_outcomes(outcomes, threshold: int) -> None:
    """Small counts hidden: how enrolments ended adds up to those started, the
    reasons to those ended early; means go with the counts they are of."""
    for o in outcomes:
        counts = {key: getattr(o, key) for key in VERSION_COUNTS} | {f"reason:{r}": n for r, n in o.end_reasons.items()}
        (o.hidden,) = hidden_figures(
            [counts],
            threshold,
            splits=[
                (("completed", "discontinued", "handed_over", "still_open"), "started"),
                (tuple(f"reason:{r}" for r in o.end_reasons), "discontinued"),
            ],
            derived={"mean_modules": "started", "messages": "started"},
        )
        o.reason_rows = [(r, n, f"reason:{r}" in o.hidden) for r, n in sorted(o.end_reasons.items())]
        for instrument in o.instruments:
            (instrument.hidden,) = hidden_figures(
                [{"n": instrument.n, "improved": instrument.improved, "deteriorated": instrument.deteriorated}],
                threshold,
                derived={"means": "n"},
            )
