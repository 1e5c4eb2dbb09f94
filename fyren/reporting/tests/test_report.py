import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from fyren.reporting.models import Population, Treatment
from fyren.reporting.national import COUNTRY, Rules, default_rules
from fyren.reporting.selectors import national_report, year_counts

pytestmark = pytest.mark.django_db


def treatment(n, region="03", kind="KBT", sex="F", age=30, started="2017-01-01", completed="2017-06-01", **kw):
    return Treatment(
        source="test",
        record_id=str(n),
        region_code=region,
        provider=kw.pop("provider", "public"),
        kind=kind,
        sex=sex,
        age=age,
        started_on=dt.date.fromisoformat(started),
        completed_on=dt.date.fromisoformat(completed) if completed else None,
        **kw,
    )


@pytest.fixture
def data(db):
    Treatment.objects.bulk_create(
        [
            treatment(1),
            treatment(2, completed="2018-01-05"),  # completed the next year
            treatment(3, completed=None),  # still running
            treatment(4, age=66),  # 66 counts from 2017 (16–67), not in 2016 (16–65)
            treatment(5, age=15),  # too young
            treatment(6, region="09", kind="MMR1", sex="M", provider="private"),
            treatment(7, started="2016-03-01", completed="2016-09-01", age=66),
            treatment(8, employer_contact_on=dt.date(2017, 2, 1), employment_service_contact_on=dt.date(2016, 12, 1)),
        ]
    )
    Population.objects.bulk_create(
        [Population(year=2017, region_code="03", sex=s, age=a, count=100) for s in "FM" for a in range(16, 68)]
        + [Population(year=2017, region_code="03", sex="F", age=70, count=999)]
    )


def test_a_year_counts_completed_treatments_in_its_age_band(data):
    counts = year_counts(default_rules(2017))
    assert counts.treatments[("03", "KBT", "F", "public")] == 3  # 1, 4 and 8
    assert counts.treatments[("09", "MMR1", "M", "private")] == 1
    assert counts.contacts == {("03", "employer"): 1}  # the employment-service contact was in 2016
    assert counts.population == {"03": 2 * 52 * 100}
    by_start = year_counts(Rules(2017, count_by="started", age_from=16, age_to=67))
    assert by_start.treatments[("03", "KBT", "F", "public")] == 5  # 1, 2, 3, 4, 8 started in 2017
    assert year_counts(default_rules(2016)).treatments == {}  # 7 is 66: outside 16–65


def test_the_report_over_the_data(data):
    tables = {t.key: t for t in national_report(default_rules(2017), [2016, 2017])}
    uppsala = tables["T2"].row("03").cells
    assert uppsala["KBT"].value == 3 and uppsala["KBT_IPT_per_1000"].value == Decimal("0.3")  # 3 of 10,400
    assert tables["T6"].row(COUNTRY).cells["2017"].value == 1
    assert tables["T7"].row("03").cells["2016"].value == 0


def test_the_command_writes_a_csv_per_table_and_one_workbook(data, tmp_path):
    call_command("national_report", "--year", "2017", "--out", str(tmp_path), "--years", "2016,2017")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["T1.csv", "T2.csv", "T3.csv", "T4.csv", "T5.csv", "T6.csv", "T7.csv", "national-report-2017.xlsx"]
    t2 = (tmp_path / "T2.csv").read_text().splitlines()
    assert t2[0].startswith("region_code,region,") and any(line.startswith("03,Uppsala,0.3,3,") for line in t2)
    assert t2[-1].startswith("SE,")


def test_the_import_commands_store_a_good_file_and_refuse_a_bad_one(db, tmp_path):
    from django.core.management.base import CommandError

    good = tmp_path / "t.csv"
    good.write_text(
        "record_id,region_code,unit_hsa_id,provider,kind,sex,age,started_on,completed_on,sessions,"
        "employer_contact_on,employment_service_contact_on\nr1,03,,public,KBT,F,30,2017-01-01,2017-02-01,5,,\n"
    )
    call_command("import_treatments", str(good), "--source", "journalen")
    assert Treatment.objects.get().source == "journalen"
    bad = tmp_path / "p.csv"
    bad.write_text("year,region_code,sex,age,count\n2017,99,F,16,10\n")
    with pytest.raises(CommandError):
        call_command("import_population", str(bad))
    assert not Population.objects.exists()
