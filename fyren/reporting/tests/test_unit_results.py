"""A unit's own results beside the region's (#32), for the unit's manager:
program use and outcomes, who started by sex and age band, the care guarantee
and lead times, under the small-count rule; anyone else gets 404."""

import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.care.services import enrolment_start
from fyren.programs.models import UnitProgram
from fyren.questionnaires.tests.conftest import ASSESSMENT, enrolled  # noqa: F401 - fixture
from fyren.reporting.unit_results import band_of, started_by_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(enrolled, make):  # noqa: F811
    """Unit A (Pia, in the program) and unit A2 of the same region (Sven, in it too)."""
    w = enrolled
    w.unit2 = make.unit(w.region, "A2", "Unit A2")
    w.manager = make.staff("manager", (Role.UNIT_MANAGER, w.unit))
    w.manager2 = make.staff("manager2", (Role.UNIT_MANAGER, w.unit2))
    doctor = make.staff("doctor2", (Role.CLINICIAN, w.unit2))
    UnitProgram.objects.create(program=w.version.program, unit=w.unit2, active=True)
    make.care_relation(w.stranger, w.unit2)
    enrolment_start(actor=doctor, citizen=w.stranger, program_version=w.version, unit=w.unit2, assessment=ASSESSMENT)
    return w


def url(unit, threshold=0):
    today = timezone.localdate()
    return (
        f"/reporting/units/{unit.pk}/?start={today.replace(day=1).replace(month=1)}&end={today}&threshold={threshold}"
    )


def test_age_bands():
    assert [band_of(a) for a in (0, 17, 18, 29, 30, 44, 45, 64, 65, 101)] == [
        "0–17", "0–17", "18–29", "18–29", "30–44", "30–44", "45–64", "45–64", "65+", "65+",
    ]  # fmt: skip


def test_started_by_sex_and_age_band(two_units):
    w = two_units
    today = timezone.localdate()
    mine_rows = started_by_group(units=[w.unit], start=today.replace(day=1), end=today)
    region_rows = started_by_group(units=[w.unit, w.unit2], start=today.replace(day=1), end=today)
    mine = {r.band: r.counts for r in mine_rows[:-1]}
    region = {r.band: r.counts for r in region_rows[:-1]}
    pia_band, sven_band = band_of(w.patient.age_on()), band_of(w.stranger.age_on())
    assert mine[pia_band][w.patient.legal_sex] == 1 and mine[pia_band]["all"] == 1
    same = pia_band == sven_band and w.patient.legal_sex == w.stranger.legal_sex
    assert region[sven_band][w.stranger.legal_sex] == 1 + same
    assert mine_rows[-1].counts["all"] == 1 and region_rows[-1].counts["all"] == 2  # the all-ages row


def test_the_manager_sees_the_unit_beside_the_region(client, two_units):
    w = two_units
    force_login_staff(client, w.manager)
    page = client.get(url(w.unit))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Unit A" in text and "<td>1</td><td>2</td>" in text  # started: the unit 1, the region 2
    hidden = client.get(url(w.unit, threshold=5)).content.decode()
    assert "<td>..</td><td>..</td>" in hidden and "<td>1</td><td>2</td>" not in hidden


def test_anyone_else_gets_404(client, two_units):
    w = two_units
    for who in (w.clinician, w.manager2, w.outsider):
        force_login_staff(client, who)
        assert client.get(url(w.unit)).status_code == 404
    client.logout()
    assert client.get(url(w.unit)).status_code == 302


def test_a_bad_period_is_refused_and_kept(client, two_units):
    w = two_units
    force_login_staff(client, w.manager)
    page = client.get(f"/reporting/units/{w.unit.pk}/?start=2026-05-01&end=2026-01-01&threshold=0")
    assert page.status_code == 400 and 'value="2026-05-01"' in page.content.decode()
