"""No cell Fyren writes into a CSV or XLSX file runs as a formula (OWASP, CSV
injection): the shared writer in ``fyren.lib.spreadsheets``, and every export
that uses it, each given ``=HYPERLINK(...)`` as text a citizen or a staff
member typed. The research delivery's own test is in ``fyren/research/tests``."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.booking.guarantee_services import guarantee_mark, guarantee_register
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.care.selectors import citizen_get_for_clinician
from fyren.care.services import emergency_access_open
from fyren.episodes.tests.test_views import setup as episodes_setup  # noqa: F401 - fixture
from fyren.instruments.library import LIBRARY
from fyren.instruments.translations import parse_sheet, sheet, text_nodes
from fyren.lib import spreadsheets
from fyren.reporting.files import table_csv, workbook
from fyren.reporting.national import Table, YearCounts, national_tables
from fyren.reporting.tests.conftest import csv_of, reporting_world  # noqa: F401 - fixture

EVIL = '=HYPERLINK("http://x","y")'


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def _neutralised(cells) -> bool:
    return any(cell.startswith("'" + EVIL) for cell in cells)


def _no_formula(cells) -> None:
    for cell in cells:
        assert not (isinstance(cell, str) and spreadsheets.is_risky(cell)), cell


# --- the writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_beginning_like_a_formula_gets_an_apostrophe(start):
    assert spreadsheets.safe_cell(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", [-3, 2.5, Decimal("-1.5"), "-3", "+46", "-0.25", "12", "", "Oro", None, "a=b"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert spreadsheets.safe_cell(value) == value


@given(st.text())
def test_no_written_cell_can_start_a_formula_and_the_reader_gets_the_text_back(text):
    written = spreadsheets.safe_cell(text)
    assert not spreadsheets.is_risky(written)
    assert spreadsheets.restore_cell(written) == text
    (read,) = list(csv.reader(io.StringIO(spreadsheets.csv_text([[text]]), newline="")))
    assert read == [written]


def test_xlsx_keeps_numbers_as_numbers_and_formula_text_as_text():
    book = Workbook()
    spreadsheets.sheet_append(book.active, [EVIL, 3, Decimal("1.5"), "-2", "@x", None])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(out).active.iter_rows())
    assert [c.data_type for c in row[:5]] == ["s", "n", "n", "s", "s"]
    assert row[0].value == EVIL and row[0].quotePrefix and row[4].quotePrefix and not row[3].quotePrefix
    assert (row[1].value, row[2].value) == (3, 1.5)


def test_one_workbook_writer_names_its_sheets_and_keeps_formula_text_as_text():
    data = spreadsheets.xlsx_bytes([("T1: kön/[region]?", [["a", 1], [EVIL]]), ("Lead times", [])])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["T1  kön  region", "Lead times"]
    rows = list(book["T1  kön  region"].iter_rows())
    assert (rows[0][1].value, rows[1][0].value, rows[1][0].data_type) == (1, EVIL, "s") and rows[1][0].quotePrefix


def test_sheet_titles_are_what_excel_accepts():
    assert spreadsheets.sheet_title("T1 Avslutade behandlingar per 1000 invånare 16–67 år") == (
        "T1 Avslutade behandlingar per 1"
    )
    assert spreadsheets.sheet_title("T2: kön/[region]?") == "T2  kön  region"


# --- every export --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_review_export_writes_a_staff_reason_as_text(client, world):
    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    emergency_access_open(actor=world.clinician, unit=world.unit, citizen=world.stranger, reason=EVIL)
    force_login_staff(client, world.log_reviewer)
    text = b"".join(client.get("/log-review/export.csv").streaming_content).decode()
    assert _neutralised(_cells(text))
    _no_formula(_cells(text))


@pytest.mark.django_db
def test_the_citizens_access_log_writes_a_units_name_as_text(client, world):
    world.unit.name = EVIL
    world.unit.save()
    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    login_citizen(client, world.patient)
    cells = _cells(client.get(f"/me/{world.patient.pk}/access-log.csv").content.decode())
    assert _neutralised(cells)
    _no_formula(cells)


@pytest.mark.django_db
def test_rejected_rows_of_an_import_are_written_as_text(client, reporting_world):  # noqa: F811
    w = reporting_world
    from fyren.reporting.services import treatments_import

    quoted = '"' + EVIL.replace('"', '""') + '"'
    data = csv_of(f"{quoted},03,,public,KBT,F,34,2017-01-10,nope,8,,", "a2,03,,public,KBT,F,-34,2017-01-10,,8,,")
    run = treatments_import(actor=w.analyst, data=data, filename="t.csv", mode="valid")
    force_login_staff(client, w.analyst)
    cells = _cells(client.get(f"/reporting/imports/{run.pk}/rejected.csv").content.decode())
    assert _neutralised(cells) and "-34" in cells  # a number stays a number
    _no_formula(cells)


def test_the_national_tables_write_names_as_text_and_figures_as_numbers():
    counts = YearCounts(treatments={("03", "KBT", "F", "public"): 12}, contacts={}, population={"03": 1000})
    table = national_tables(counts, {2017: counts})[0]
    tampered = Table(key=table.key, title=EVIL, columns=table.columns, rows=table.rows[:1])
    tampered.rows[0].name = EVIL
    cells = _cells(table_csv(tampered))
    assert _neutralised(cells)
    _no_formula(cells)
    sheet_ = load_workbook(io.BytesIO(workbook([tampered], title=EVIL))).worksheets[0]
    for row in sheet_.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert sheet_.title.startswith("T1")


@pytest.mark.django_db
def test_the_national_report_names_its_sheets_as_its_tables(client, reporting_world):  # noqa: F811
    force_login_staff(client, reporting_world.analyst)
    book = load_workbook(io.BytesIO(client.get("/reporting/national/", {"year": 2017, "format": "xlsx"}).content))
    assert [name[:3] for name in book.sheetnames] == ["T1 ", "T2 ", "T3 ", "T4 ", "T5 ", "T6 ", "T7 "]
    assert all(len(name) > 10 for name in book.sheetnames)


@pytest.mark.django_db
def test_lead_times_write_a_pathways_and_a_units_name_as_text(client, episodes_setup):  # noqa: F811
    w = episodes_setup
    w.pathway.name = EVIL
    w.pathway.save()
    w.unit.name = EVIL
    w.unit.save()
    force_login_staff(client, w.analyst)
    year = timezone.localdate().year
    query = {"pathway": w.pathway.pk, "from_point": "B", "to_point": "E", "start": f"{year - 1}-01-01"}
    query["end"] = timezone.localdate().isoformat()
    cells = _cells(client.get("/pathways/lead-times/", {**query, "format": "csv"}).content.decode())
    assert _neutralised(cells)
    _no_formula(cells)
    _no_formula(_cells(client.get("/pathways/lead-times/", {**query, "format": "points"}).content.decode()))
    book = load_workbook(io.BytesIO(client.get("/pathways/lead-times/", {**query, "format": "xlsx"}).content))
    values = [c for row in book.active.iter_rows() for c in row if c.value == EVIL]
    assert values and all(c.data_type == "s" and c.quotePrefix for c in values)
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)


@pytest.mark.django_db
def test_the_care_guarantee_writes_a_units_name_as_text(client, booking_world, make):  # noqa: F811
    w = booking_world
    w.unit.name = EVIL
    w.unit.save()
    contact = timezone.now() - dt.timedelta(days=5)
    case = guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary", at=contact)
    guarantee_mark(actor=w.clinician, case=case, step="contacted_at", at=contact)
    force_login_staff(client, make.staff("gunilla", (Role.ANALYST, w.unit)))
    month = f"{timezone.localdate():%Y-%m}"
    query = {"start": f"{timezone.localtime(contact):%Y-%m}", "end": month, "format": "csv"}
    cells = _cells(client.get("/care-guarantee/", query).content.decode())
    assert _neutralised(cells)
    _no_formula(cells)


def test_a_translation_sheet_writes_formula_text_safely_and_reads_it_back():
    definition = {**LIBRARY["phq2"], "name": {"sv": EVIL, "en": "-minus"}}
    text = sheet(definition)
    assert _neutralised(_cells(text))
    _no_formula(_cells(text))
    rows = list(csv.reader(io.StringIO(text)))
    filled = [rows[0]] + [[*row[:3], row[1]] for row in rows[1:]]  # a translator copies the Swedish
    texts = parse_sheet(definition, spreadsheets.csv_text(filled))
    assert texts["name"] == EVIL and len(texts) == len(text_nodes(definition))


@pytest.mark.django_db
def test_rejected_rows_stored_before_the_writer_are_defused_on_download(client, reporting_world):  # noqa: F811
    from fyren.reporting.models import ImportRun

    w = reporting_world
    run = ImportRun.objects.create(
        kind="treatments",
        actor=w.analyst,
        filename="old.csv",
        rejected_rows=f'line,record_id\n2,"{EVIL.replace(chr(34), 2 * chr(34))}"\n',
    )
    force_login_staff(client, w.analyst)
    cells = _cells(client.get(f"/reporting/imports/{run.pk}/rejected.csv").content.decode())
    assert _neutralised(cells)
    _no_formula(cells)
