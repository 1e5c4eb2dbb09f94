import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fyren.audit.models import AuditEvent
from fyren.reporting.models import ImportRun, Population, Treatment
from fyren.reporting.services import population_import, treatments_import

from .conftest import csv_of

pytestmark = pytest.mark.django_db

GOOD = (
    "a1,03,,public,KBT,F,34,2017-01-10,2017-03-01,8,,",
    "a2,03,SE2321000099-A1,private,MMR2,M,50,2017-02-01,,12,2017-02-15,2017-03-01",
)


def test_a_valid_file_is_stored_and_importing_it_again_changes_nothing(reporting_world):
    w = reporting_world
    run = treatments_import(actor=w.analyst, data=csv_of(*GOOD), filename="t.csv")
    assert (run.status, run.rows, run.created, run.updated, run.unchanged) == ("stored", 2, 2, 0, 0)
    first = Treatment.objects.get(record_id="a1")
    assert first.kind == "KBT" and first.completed_on.isoformat() == "2017-03-01" and first.source == "import"
    again = treatments_import(actor=w.analyst, data=csv_of(*GOOD), filename="t.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.sha256 == run.sha256 and Treatment.objects.count() == 2
    corrected = treatments_import(
        actor=w.analyst, data=csv_of(GOOD[0].replace(",8,", ",9,"), GOOD[1]), filename="t2.csv"
    )
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 1)
    assert Treatment.objects.get(record_id="a1").sessions == 9
    assert AuditEvent.objects.filter(action="reporting.import.treatments").count() == 3


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_stored(reporting_world):
    w = reporting_world
    data = csv_of(
        GOOD[0],
        "a2,99,,public,KBT,X,34,2017-13-01,,8,,",
        "a1,03,,public,KBT,F,34,2017-01-10,2016-01-01,8,,",
    )
    run = treatments_import(actor=w.analyst, data=data, filename="bad.csv")
    assert run.status == "refused" and Treatment.objects.count() == 0
    found = {(e["line"], e["column"]) for e in run.errors}
    assert {(3, "region_code"), (3, "sex"), (3, "started_on"), (4, "record_id"), (4, "completed_on")} <= found
    assert "line,record_id" in run.rejected_rows and "2017-13-01" in run.rejected_rows
    valid = treatments_import(actor=w.analyst, data=data, filename="bad.csv", mode="valid")
    assert valid.status == "stored" and valid.created == 1 and valid.rejected == 2
    assert list(Treatment.objects.values_list("record_id", flat=True)) == ["a1"]


def test_the_header_must_name_the_columns(reporting_world):
    run = treatments_import(actor=None, data=b"record_id,region\nx,03\n", filename="h.csv")
    assert run.status == "refused" and run.errors[0]["line"] == 1 and "region_code" in run.errors[0]["reason"]
    empty = treatments_import(actor=None, data=b"", filename="e.csv")
    assert empty.status == "refused"


def test_a_regional_analyst_imports_only_their_regions_rows(reporting_world):
    w = reporting_world
    run = treatments_import(actor=w.other_analyst, data=csv_of(GOOD[0]), filename="t.csv")
    assert run.status == "refused" and run.errors[0]["column"] == "region_code"
    assert treatments_import(actor=w.national, data=csv_of(GOOD[0]), filename="t.csv").status == "stored"
    with pytest.raises(PermissionDenied):
        treatments_import(actor=w.clinician, data=csv_of(GOOD[0]), filename="t.csv")
    with pytest.raises(ValidationError):
        treatments_import(actor=w.analyst, data=csv_of(GOOD[0]), filename="t.csv", source="fyren")


def test_population_cells_are_replaced_when_imported_again(reporting_world):
    w = reporting_world
    data = b"year,region_code,sex,age,count\n2017,03,F,16,2100\n2017,03,M,16,2200\n"
    run = population_import(actor=w.analyst, data=data, filename="p.csv")
    assert (run.status, run.created) == ("stored", 2)
    again = population_import(actor=w.analyst, data=data.replace(b"2200", b"2250"), filename="p.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert Population.objects.get(sex="M").count == 2250
    bad = population_import(actor=w.analyst, data=data + b"2017,03,F,16,5\n", filename="p.csv")
    assert bad.status == "refused" and bad.errors[0]["line"] == 4
    assert ImportRun.objects.filter(kind="population").count() == 3


def test_the_example_files_in_the_docs_import_cleanly(reporting_world):
    from pathlib import Path

    examples = Path(__file__).resolve().parents[3] / "docs" / "examples"
    treatments = treatments_import(actor=None, data=(examples / "treatments.csv").read_bytes(), filename="t.csv")
    population = population_import(actor=None, data=(examples / "population.csv").read_bytes(), filename="p.csv")
    assert (treatments.status, treatments.created, population.status, population.created) == ("stored", 4, "stored", 4)
