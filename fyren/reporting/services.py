"""Writes on reporting: imports of treatments and population (all or nothing,
or the valid rows with a file of the rejected ones; idempotent; each one
recorded), the treatment record Fyren makes when an enrolment is completed,
and the record of an exported national report."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.audit.services import audit_event_write

from .imports import POPULATION_COLUMNS, TREATMENT_COLUMNS, Parsed, lines_of, parse_population, parse_treatments
from .imports import rejected_csv as rejected_rows_csv
from .models import FYREN_SOURCE, ImportRun, Population, ReportExport, Treatment
from .scope import region_codes_for

VALUE_FIELDS = TREATMENT_COLUMNS[1:]  # all but the record id
BATCH = 2000
MAX_SOURCE = 40


def _scope(actor) -> set[str] | None:
    """The regions ``actor`` may import (None: any; a command without an actor)."""
    if actor is None:
        return None
    codes = region_codes_for(actor)
    if codes is not None and not codes:
        raise PermissionDenied
    return codes


def _run(actor, kind, mode, source, filename, data, parsed: Parsed) -> ImportRun:
    return ImportRun(
        kind=kind,
        mode=mode,
        source=source,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        actor=actor,
        rows=parsed.total,
        rejected=len(parsed.rejected),
        errors=[e.as_dict() for e in parsed.errors],
        region_codes=sorted(parsed.regions),
    )


def _check_mode(mode: str, source: str) -> str:
    if mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": _("Choose how errors are handled.")})
    source = (source or "").strip()
    if not source or len(source) > MAX_SOURCE or source == FYREN_SOURCE:
        raise ValidationError(
            {"source": _("Name the record system the ids come from (at most 40 characters, not “fyren”).")}
        )
    return source


def treatments_import(*, actor, data: bytes, filename: str, source: str = "import", mode: str = "all") -> ImportRun:
    """Import treatment records. A row's (source, record id) is its identity: the
    same row again changes nothing, a changed row is updated, a new one created.
    With errors, nothing is stored unless ``mode`` is ``valid``."""
    source = _check_mode(mode, source)
    parsed = parse_treatments(lines_of(data), allowed_regions=_scope(actor))
    run = _run(actor, ImportRun.Kind.TREATMENTS, mode, source, filename, data, parsed)
    return _finish(run, parsed, mode, TREATMENT_COLUMNS, lambda: _store_treatments(run, source, parsed.rows))


def population_import(*, actor, data: bytes, filename: str, mode: str = "all") -> ImportRun:
    """Import population counts (year, region, sex, single year of age); a cell
    imported again is replaced."""
    _check_mode(mode, "population")
    parsed = parse_population(lines_of(data), allowed_regions=_scope(actor))
    run = _run(actor, ImportRun.Kind.POPULATION, mode, "", filename, data, parsed)
    return _finish(run, parsed, mode, POPULATION_COLUMNS, lambda: _store_population(run, parsed.rows))


def _finish(run: ImportRun, parsed: Parsed, mode: str, columns, store) -> ImportRun:
    with transaction.atomic():
        if parsed.rejected:
            run.rejected_rows = rejected_rows_csv(parsed, columns)
        if parsed.rejected and (mode == ImportRun.Mode.ALL or not parsed.rows):
            run.status = ImportRun.Status.REFUSED
            run.finished_at = timezone.now()
            run.save()
        else:
            run.status = ImportRun.Status.STORED
            run.save()
            run.created, run.updated, run.unchanged = store()
            run.finished_at = timezone.now()
            run.save(update_fields=["created", "updated", "unchanged", "finished_at"])
        audit_event_write(
            actor=run.actor,
            action=f"reporting.import.{run.kind}",
            obj=run,
            data={
                "file": run.filename,
                "sha256": run.sha256,
                "rows": run.rows,
                "status": run.status,
                "created": run.created,
                "updated": run.updated,
                "rejected": run.rejected,
            },
        )
    return run


def _store_treatments(run: ImportRun, source: str, rows: Sequence[tuple]) -> tuple[int, int, int]:
    if connection.vendor == "postgresql":
        return _store_treatments_copy(run, source, rows)
    created = updated = 0
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        existing = {
            r[0]: tuple(r[1:])
            for r in Treatment.objects.filter(source=source, record_id__in=[row[0] for row in batch]).values_list(
                "record_id", *VALUE_FIELDS
            )
        }
        changed = [row for row in batch if existing.get(row[0]) != tuple(row[1:])]
        created += sum(1 for row in changed if row[0] not in existing)
        updated += sum(1 for row in changed if row[0] in existing)
        Treatment.objects.bulk_create(
            [
                Treatment(
                    source=source, import_run=run, updated_at=now, **dict(zip(TREATMENT_COLUMNS, row, strict=True))
                )
                for row in changed
            ],
            update_conflicts=True,
            unique_fields=["source", "record_id"],
            update_fields=[*VALUE_FIELDS, "import_run", "updated_at"],
        )
    return created, updated, len(rows) - created - updated


def _store_treatments_copy(run: ImportRun, source: str, rows: Sequence[tuple]) -> tuple[int, int, int]:
    """PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT that
    updates only rows that differ and counts what it created and updated."""
    columns = ", ".join(TREATMENT_COLUMNS)
    values = ", ".join(VALUE_FIELDS)
    excluded = ", ".join(f"EXCLUDED.{c}" for c in VALUE_FIELDS)
    current = ", ".join(f"t.{c}" for c in VALUE_FIELDS)
    with connection.cursor() as cursor:
        # Dropped at the end too: ON COMMIT DROP alone leaves it for a second import in one transaction.
        cursor.execute("DROP TABLE IF EXISTS reporting_treatment_in")
        cursor.execute(
            "CREATE TEMPORARY TABLE reporting_treatment_in (record_id varchar(64), region_code varchar(2),"
            " unit_hsa_id varchar(31), provider varchar(7), kind varchar(24), sex varchar(1), age smallint,"
            " started_on date, completed_on date, sessions smallint, employer_contact_on date,"
            " employment_service_contact_on date) ON COMMIT DROP"
        )
        raw = cursor.cursor
        with raw.copy(f"COPY reporting_treatment_in ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"WITH up AS (INSERT INTO reporting_treatment AS t (source, {columns}, import_run_id, updated_at)"  # noqa: S608 - fixed column names
            f" SELECT %s, {columns}, %s, %s FROM reporting_treatment_in"
            f" ON CONFLICT (source, record_id) DO UPDATE SET ({values}, import_run_id, updated_at)"
            f" = ({excluded}, EXCLUDED.import_run_id, EXCLUDED.updated_at)"
            f" WHERE ({current}) IS DISTINCT FROM ({excluded})"
            " RETURNING (xmax = 0) AS inserted)"
            " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
            [source, run.pk, timezone.now()],
        )
        created, updated = cursor.fetchone()
        cursor.execute("DROP TABLE reporting_treatment_in")
    return created, updated, len(rows) - created - updated


def _store_population(run: ImportRun, rows: Sequence[tuple]) -> tuple[int, int, int]:
    created = updated = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        years = {r[0] for r in batch}
        existing = {
            (y, r, s, a): c
            for y, r, s, a, c in Population.objects.filter(year__in=years).values_list(
                "year", "region_code", "sex", "age", "count"
            )
        }
        changed = [row for row in batch if existing.get(row[:4]) != row[4]]
        created += sum(1 for row in changed if row[:4] not in existing)
        updated += sum(1 for row in changed if row[:4] in existing)
        Population.objects.bulk_create(
            [Population(year=y, region_code=r, sex=s, age=a, count=c, import_run=run) for y, r, s, a, c in changed],
            update_conflicts=True,
            unique_fields=["year", "region_code", "sex", "age"],
            update_fields=["count", "import_run"],
        )
    return created, updated, len(rows) - created - updated


# --- treatments made by Fyren -----------------------------------------------------------------


def treatment_from_enrolment(*, enrolment, at: dt.datetime) -> Treatment | None:
    """A completed enrolment in a program version reported as a treatment becomes
    (or updates) a treatment record of its unit and region. Needs the region's
    county code; sessions are the modules completed."""
    kind = enrolment.program_version.treatment_kind
    region_code = enrolment.unit.region.county_code
    if not kind or not region_code or enrolment.status != "completed":
        return None
    citizen = enrolment.citizen
    started_on = timezone.localtime(enrolment.started_at).date()
    born = citizen.birth_date
    age = started_on.year - born.year - ((started_on.month, started_on.day) < (born.month, born.day))
    values = {
        "region_code": region_code,
        "unit_hsa_id": enrolment.unit.hsa_id,
        "provider": enrolment.unit.provider_type,
        "kind": kind,
        "sex": citizen.legal_sex,
        "age": age,
        "started_on": started_on,
        "completed_on": timezone.localtime(at).date(),
        "sessions": enrolment.module_progress.filter(completed_at__isnull=False).count(),
        "updated_at": timezone.now(),
    }
    treatment, _made = Treatment.objects.update_or_create(
        source=FYREN_SOURCE, record_id=f"enrolment-{enrolment.pk}", defaults=values
    )
    return treatment


# --- reports ------------------------------------------------------------------------------------


def report_export_record(*, actor, rules, figures: dict, fmt: str) -> ReportExport:
    """Remember an exported report (its settings and every shown figure) and audit it."""
    with transaction.atomic():
        export = ReportExport.objects.create(
            year=rules.year, settings=rules.as_dict(), figures=figures, exported_by=actor, format=fmt
        )
        audit_event_write(
            actor=actor, action="reporting.national.export", obj=export, data={**rules.as_dict(), "format": fmt}
        )
    return export
