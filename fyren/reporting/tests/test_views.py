import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.audit.models import AuditEvent
from fyren.care.services import enrolment_end
from fyren.programs.models import ProgramVersion
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture
from fyren.reporting.models import ImportRun, ReportExport, Treatment

from .conftest import csv_of

pytestmark = pytest.mark.django_db


def test_a_completed_enrolment_in_a_reported_program_becomes_a_treatment(enrolled):  # noqa: F811
    w = enrolled
    w.region.county_code = "03"
    w.region.save()
    ProgramVersion.objects.filter(pk=w.enrolment.program_version_id).update(treatment_kind="IKBT")
    w.enrolment.refresh_from_db()
    enrolment_end(actor=w.clinician, enrolment=w.enrolment, completed=True)
    t = Treatment.objects.get(source="fyren")
    assert (t.record_id, t.region_code, t.kind, t.sex) == (f"enrolment-{w.enrolment.pk}", "03", "IKBT", "F")
    assert t.unit_hsa_id == w.unit.hsa_id and t.completed_on == timezone.localdate()
    born = w.patient.birth_date
    assert t.age == timezone.localdate().year - born.year - (
        (timezone.localdate().month, timezone.localdate().day) < (born.month, born.day)
    )


def test_an_analyst_imports_sees_the_errors_then_the_report(client, reporting_world):
    w = reporting_world
    force_login_staff(client, w.analyst)
    assert client.get("/reporting/").status_code == 200
    bad = csv_of("a1,03,,public,KBT,F,34,2017-01-10,2017-03-01,8,,", "a2,03,,public,KBT,F,34,2017-01-10,nope,8,,")
    answer = client.post(
        "/reporting/", {"kind": "treatments", "file": _file(bad), "source": "journal", "mode": "all"}, follow=True
    )
    page = answer.content.decode()
    assert "nope" in page and Treatment.objects.count() == 0
    good = csv_of("a1,03,,public,KBT,F,34,2017-01-10,2017-03-01,8,,")
    client.post("/reporting/", {"kind": "treatments", "file": _file(good), "source": "journal", "mode": "all"})
    assert Treatment.objects.get().source == "journal"
    report = client.get("/reporting/national/", {"year": 2017, "threshold": 0, "years": "2016, 2017"})
    html = report.content.decode()
    assert report.status_code == 200 and "Uppsala" in html and "Gotland" not in html  # own region and the country
    xlsx = client.get("/reporting/national/", {"year": 2017, "threshold": 0, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv_t1 = client.get("/reporting/national/", {"year": 2017, "threshold": 0, "format": "csv", "table": "T2"})
    assert csv_t1.content.decode().splitlines()[1].startswith("03,Uppsala,")
    assert ReportExport.objects.count() == 2
    assert AuditEvent.objects.filter(action="reporting.national.run", actor=w.analyst).count() == 3
    # A correction: the report tells what changed since the last export.
    client.post(
        "/reporting/",
        {"kind": "treatments", "file": _file(good.replace(b"KBT", b"IPT")), "source": "journal", "mode": "all"},
    )
    again = client.get("/reporting/national/", {"year": 2017, "threshold": 0}).content.decode()
    assert "T2|03|IPT" in again


def test_outsiders_get_404(client, reporting_world):
    w = reporting_world
    force_login_staff(client, w.analyst)
    client.post(
        "/reporting/",
        {
            "kind": "treatments",
            "file": _file(csv_of("x,03,,public,KBT,F,34,2017-01-10,,8,,")),
            "mode": "all",
            "source": "s",
        },
    )
    run = ImportRun.objects.get()
    force_login_staff(client, w.other_analyst)  # another region's analyst
    assert client.get(f"/reporting/imports/{run.pk}/").status_code == 404
    assert client.get(f"/reporting/imports/{run.pk}/rejected.csv").status_code == 404
    force_login_staff(client, w.national)
    assert client.get(f"/reporting/imports/{run.pk}/").status_code == 200
    force_login_staff(client, w.clinician)  # not an analyst
    for url in ("/reporting/", f"/reporting/imports/{run.pk}/", "/reporting/national/?year=2017"):
        assert client.get(url).status_code == 404, url


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("t.csv", data, content_type="text/csv")
