"""Reads for reporting: aggregates only (counts per region, kind, sex, provider;
population sums), and the imports an analyst may see."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.http import Http404

from .models import ImportRun, Population, Treatment
from .national import COUNTRY, Rules, Table, YearCounts, default_rules, national_tables
from .scope import is_analyst, region_codes_for


def year_counts(rules: Rules) -> YearCounts:
    """Treatments counted in the year by its rule (completion or start date), at
    ages in its band, grouped by region, kind, sex and provider; contacts dated in
    the year; inhabitants in the band. Four grouped queries."""
    day = "completed_on" if rules.count_by == "completed" else "started_on"
    in_band = Q(age__gte=rules.age_from, age__lte=rules.age_to)
    treatments = {
        (r, k, s, p): n
        for r, k, s, p, n in Treatment.objects.filter(in_band, **{f"{day}__year": rules.year})
        .values_list("region_code", "kind", "sex", "provider")
        .annotate(n=Count("id"))
        .values_list("region_code", "kind", "sex", "provider", "n")
        .order_by()
    }
    contacts = {}
    for kind, field in (("employer", "employer_contact_on"), ("employment_service", "employment_service_contact_on")):
        for region, n in (
            Treatment.objects.filter(in_band, **{f"{field}__year": rules.year})
            .values_list("region_code")
            .annotate(n=Count("id"))
            .values_list("region_code", "n")
            .order_by()
        ):
            contacts[(region, kind)] = n
    population = dict(
        Population.objects.filter(year=rules.year, age__gte=rules.age_from, age__lte=rules.age_to)
        .values_list("region_code")
        .annotate(n=Sum("count"))
        .values_list("region_code", "n")
        .order_by()
    )
    return YearCounts(treatments, contacts, population)


def years_with_treatments() -> list[int]:
    """The years in which treatments were completed (for the report's defaults)."""
    return sorted({d.year for d in Treatment.objects.dates("completed_on", "year")})


def national_report(rules: Rules, years: list[int]) -> list[Table]:
    """Tables 1–7 for ``rules.year``; tables 6 and 7 over ``years`` (each year by
    its own default rule, the chosen year by ``rules``)."""
    counts = year_counts(rules)
    over = {y: counts if y == rules.year else year_counts(default_rules(y)) for y in years}
    return national_tables(counts, over, threshold=rules.threshold)


def tables_for(user, tables: list[Table]) -> list[Table]:
    """The rows ``user`` may see: every region for a national analyst, else their
    own regions; the country's row always (an aggregate of all)."""
    codes = region_codes_for(user)
    if codes is None:
        return tables
    for table in tables:
        table.rows = [r for r in table.rows if r.code in codes or r.code == COUNTRY]
    return tables


def import_runs_for(user, *, limit: int = 50) -> list[ImportRun]:
    """Imports the user made, and (national analysts) all; regional analysts also
    see imports that touched only their regions."""
    if not is_analyst(user):
        return []
    codes = region_codes_for(user)
    runs = ImportRun.objects.select_related("actor").defer("rejected_rows", "errors")
    if codes is None:
        return list(runs[:limit])
    return [r for r in runs[:500] if _visible(r, user, codes)][:limit]


def _visible(run: ImportRun, user, codes: set[str]) -> bool:
    return run.actor_id == user.pk or (bool(run.region_codes) and set(run.region_codes) <= codes)


def import_run_or_404(user, run_id) -> ImportRun:
    run = ImportRun.objects.filter(pk=run_id).select_related("actor").first()
    if run is None or not is_analyst(user):
        raise Http404
    codes = region_codes_for(user)
    if codes is not None and not _visible(run, user, codes):
        raise Http404
    return run
