"""Reads for reporting: aggregates only (counts per region, kind, sex, provider;
population sums), and the imports an analyst may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from fyren.care.models import ElementAnswer, Enrolment, ModuleProgress
from fyren.instruments.definitions import name_of
from fyren.instruments.library import LIBRARY
from fyren.instruments.scoring import primary_score_id
from fyren.messaging.models import Message
from fyren.organisations.models import CareUnit
from fyren.programs.models import Module, ProgramVersion, text_in
from fyren.questionnaires.models import Response

from .models import ImportRun, Population, Treatment
from .national import COUNTRY, Rules, Table, YearCounts, default_rules, national_tables
from .outcomes import VersionOutcome, instrument_outcome
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


def units_in_scope(user):
    """The care units whose programs' figures ``user`` may see (the regions' units)."""
    codes = region_codes_for(user)
    units = CareUnit.objects.all()
    if codes is not None:
        units = units.filter(region__county_code__in=codes)
    return units


def program_outcomes(*, units, start: dt.date, end: dt.date) -> list[VersionOutcome]:
    """Per program version, the enrolments started at ``units`` in the period:
    how they ended (and why, when early), modules done, messages, feedback,
    questionnaires, and for each instrument the change from first to last
    score. Figures only; a fixed number of grouped queries."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    enrolments = Enrolment.objects.filter(unit__in=units, started_at__gte=begin, started_at__lt=until)
    found: dict[int, VersionOutcome] = {}
    versions = ProgramVersion.objects.filter(pk__in=enrolments.values("program_version_id"))
    modules = dict(
        Module.objects.filter(version__in=versions).values_list("version_id").annotate(n=Count("id")).order_by()
    )
    for v in versions:
        found[v.pk] = VersionOutcome(v.pk, text_in(v.title, v.languages), v.number, modules.get(v.pk, 0))
    for version_id, status, reason, n in (
        enrolments.values_list("program_version_id", "status", "end_reason").annotate(n=Count("id")).order_by()
    ):
        o = found[version_id]
        o.started += n
        if status == Enrolment.Status.COMPLETED:
            o.completed += n
        elif status == Enrolment.Status.DISCONTINUED:
            o.discontinued += n
            key = reason or "–"
            o.end_reasons[key] = o.end_reasons.get(key, 0) + n
        elif status == Enrolment.Status.HANDED_OVER:
            o.handed_over += n
        else:
            o.still_open += n
    done = (
        ModuleProgress.objects.filter(enrolment__in=enrolments, completed_at__isnull=False)
        .values_list("enrolment_id", "enrolment__program_version_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for _enrolment, version_id, n in done:
        o = found[version_id]
        o.modules_done_sum += n
        o.reached_last += bool(o.modules) and n >= o.modules
    for version_id, from_citizen, n in (
        Message.objects.filter(thread__enrolment__in=enrolments, status=Message.Status.SENT)
        .values_list("thread__enrolment__program_version_id", "from_citizen")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if from_citizen:
            found[version_id].citizen_messages += n
        else:
            found[version_id].staff_messages += n
    for version_id, n in (
        ElementAnswer.objects.filter(enrolment__in=enrolments, feedback_at__isnull=False)
        .values_list("enrolment__program_version_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        found[version_id].feedback_given += n
    _instrument_outcomes(enrolments, found)
    return sorted(found.values(), key=lambda o: (o.title, o.number))


def _definition(code: str, cache: dict) -> dict:
    """The shipped definition, or (a region's own instrument) the one answered."""
    if code not in cache:
        cache[code] = LIBRARY.get(code) or (
            Response.objects.filter(instrument_code=code).values_list("definition", flat=True).first() or {}
        )
    return cache[code]


def _instrument_outcomes(enrolments, found: dict[int, VersionOutcome]) -> None:
    series: dict[tuple[int, str], dict[int, list[float]]] = {}
    definitions: dict[str, dict] = {}
    for version_id, enrolment_id, code, scores in (
        Response.objects.filter(enrolment__in=enrolments, status=Response.Status.COMPLETED)
        .order_by("submitted_at")
        .values_list("enrolment__program_version_id", "enrolment_id", "instrument_code", "scores")
    ):
        found[version_id].questionnaires_answered += 1
        definition = _definition(code, definitions)
        score_id = primary_score_id(definition) or ""
        value = (scores or {}).get(score_id)
        if isinstance(value, int | float):
            series.setdefault((version_id, code), {}).setdefault(enrolment_id, []).append(float(value))
    for (version_id, code), by_enrolment in sorted(series.items()):
        definition = _definition(code, definitions)
        found[version_id].instruments.append(
            instrument_outcome(
                code,
                name_of(definition, get_language() or "sv"),
                definition,
                primary_score_id(definition) or "",
                list(by_enrolment.values()),
            )
        )
