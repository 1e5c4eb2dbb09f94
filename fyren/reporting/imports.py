"""Reading the import files: every row checked, each problem reported by line
and column with the reason. Plain functions on text; storing is in ``services``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fyren.lib import spreadsheets
from fyren.organisations.counties import COUNTIES
from fyren.programs.models import TreatmentKind

TREATMENT_COLUMNS = [
    "record_id",
    "region_code",
    "unit_hsa_id",
    "provider",
    "kind",
    "sex",
    "age",
    "started_on",
    "completed_on",
    "sessions",
    "employer_contact_on",
    "employment_service_contact_on",
]
POPULATION_COLUMNS = ["year", "region_code", "sex", "age", "count"]
KINDS = frozenset(TreatmentKind.values)
HSA_ID = re.compile(r"^SE[0-9]{10}-[0-9A-Za-z]{1,19}$")
MAX_ERRORS_KEPT = 200


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason}


@dataclass
class Parsed:
    """The valid rows (as tuples in the order of the columns, typed), the errors,
    and the rejected rows as they were with their line and reasons."""

    rows: list[tuple] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: list[tuple[int, list[str], list[str]]] = field(default_factory=list)
    error_count: int = 0
    regions: set[str] = field(default_factory=set)
    total: int = 0

    def add_errors(self, line: int, raw: list[str], found: list[RowError]) -> None:
        self.error_count += len(found)
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(found[:room])
        self.rejected.append((line, raw, [f"{e.column}: {e.reason}" for e in found]))


def lines_of(data: bytes) -> Iterator[str]:
    """The file's text lines (UTF-8, a byte-order mark allowed)."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    yield from text


def _date(value: str, column: str, errors: list[RowError], line: int, *, required=False) -> dt.date | None:
    if not value:
        if required:
            errors.append(RowError(line, column, _("A date is needed (YYYY-MM-DD).")))
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, column, _("Not a date as YYYY-MM-DD: %(value)s") % {"value": value[:40]}))
        return None


def _int(value: str, column: str, errors: list[RowError], line: int, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except ValueError:
        errors.append(RowError(line, column, _("Not a whole number: %(value)s") % {"value": value[:40]}))
        return None
    if not low <= number <= high:
        errors.append(RowError(line, column, _("Must be %(low)d to %(high)d.") % {"low": low, "high": high}))
        return None
    return number


def _region(value: str, errors, line, allowed: set[str] | None) -> str:
    if value not in COUNTIES:
        errors.append(RowError(line, "region_code", _("Not a Swedish county code: %(value)s") % {"value": value[:10]}))
    elif allowed is not None and value not in allowed:
        errors.append(RowError(line, "region_code", _("You may import only your own region's rows.")))
    return value


def _header(reader, expected: list[str], parsed: Parsed) -> list[str] | None:
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        parsed.add_errors(1, [], [RowError(1, "", _("The file is empty."))])
        return None
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    if missing or unknown or len(set(header)) != len(header):
        reason = []
        if missing:
            reason.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            reason.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        if len(set(header)) != len(header):
            reason.append(_("a column is named twice"))
        parsed.add_errors(
            1, header, [RowError(1, "", _("The header row is wrong: %(what)s.") % {"what": "; ".join(reason)})]
        )
        return None
    return header


def _records(lines: Iterable[str], columns: list[str], parsed: Parsed) -> Iterator[tuple[int, list[str], list[str]]]:
    """The file's data rows after a valid header: (line, the row as it came, its
    values in the order of ``columns``); blank lines skipped, a row with the
    wrong number of fields reported and skipped."""
    reader = csv.reader(lines)
    header = _header(reader, columns, parsed)
    if header is None:
        return
    index = [header.index(c) for c in columns]
    for line, raw in enumerate(reader, start=2):
        if not raw or (len(raw) == 1 and not raw[0].strip()):
            continue
        parsed.total += 1
        if len(raw) != len(header):
            found = _("%(n)d fields; the header has %(m)d.") % {"n": len(raw), "m": len(header)}
            parsed.add_errors(line, raw, [RowError(line, "", found)])
            continue
        yield line, raw, [raw[i].strip() for i in index]


def parse_treatments(lines: Iterable[str], *, allowed_regions: set[str] | None = None) -> Parsed:
    """Check a treatments file. ``allowed_regions``: the county codes the importer
    may import (None: any)."""
    parsed = Parsed()
    seen: dict[str, int] = {}
    for line, raw, values in _records(lines, TREATMENT_COLUMNS, parsed):
        errors: list[RowError] = []
        (record_id, region, hsa, provider, kind, sex, age, started, completed, sessions, employer, employment) = values
        if not record_id or len(record_id) > 64:
            errors.append(RowError(line, "record_id", _("Give an id of at most 64 characters.")))
        elif record_id in seen:
            errors.append(
                RowError(line, "record_id", _("The same id as on line %(line)d.") % {"line": seen[record_id]})
            )
        else:
            seen[record_id] = line
        _region(region, errors, line, allowed_regions)
        if hsa and not HSA_ID.match(hsa):
            errors.append(RowError(line, "unit_hsa_id", _("Not an HSA-id: %(value)s") % {"value": hsa[:40]}))
        if provider not in ("public", "private"):
            errors.append(RowError(line, "provider", _("Write public or private.")))
        if kind not in KINDS:
            errors.append(RowError(line, "kind", _("Not a treatment kind: %(value)s") % {"value": kind[:40]}))
        if sex not in ("F", "M"):
            errors.append(RowError(line, "sex", _("Write F or M.")))
        age_n = _int(age, "age", errors, line, 0, 120)
        started_on = _date(started, "started_on", errors, line, required=True)
        completed_on = _date(completed, "completed_on", errors, line)
        if started_on and completed_on and completed_on < started_on:
            errors.append(RowError(line, "completed_on", _("Completed before it started.")))
        sessions_n = _int(sessions or "0", "sessions", errors, line, 0, 1000)
        employer_on = _date(employer, "employer_contact_on", errors, line)
        employment_on = _date(employment, "employment_service_contact_on", errors, line)
        if errors:
            parsed.add_errors(line, raw, errors)
            continue
        parsed.regions.add(region)
        parsed.rows.append(
            (
                record_id,
                region,
                hsa,
                provider,
                kind,
                sex,
                age_n,
                started_on,
                completed_on,
                sessions_n,
                employer_on,
                employment_on,
            )
        )
    return parsed


def parse_population(lines: Iterable[str], *, allowed_regions: set[str] | None = None) -> Parsed:
    parsed = Parsed()
    seen: dict[tuple, int] = {}
    for line, raw, values in _records(lines, POPULATION_COLUMNS, parsed):
        errors: list[RowError] = []
        year, region, sex, age, count = values
        year_n = _int(year, "year", errors, line, 1968, 2100)
        _region(region, errors, line, allowed_regions)
        if sex not in ("F", "M"):
            errors.append(RowError(line, "sex", _("Write F or M.")))
        age_n = _int(age, "age", errors, line, 0, 120)
        count_n = _int(count, "count", errors, line, 0, 10_000_000)
        key = (year_n, region, sex, age_n)
        if not errors and key in seen:
            errors.append(RowError(line, "age", _("The same cell as on line %(line)d.") % {"line": seen[key]}))
        if errors:
            parsed.add_errors(line, raw, errors)
            continue
        seen[key] = line
        parsed.regions.add(region)
        parsed.rows.append((year_n, region, sex, age_n, count_n))
    return parsed


def rejected_csv(parsed: Parsed, columns: list[str]) -> str:
    """The rejected rows as they came, with their line and what was wrong."""
    header = ["line", *columns, "errors"]
    return spreadsheets.csv_text(
        [header, *([line, *raw, "; ".join(reasons)] for line, raw, reasons in parsed.rejected)]
    )
