import datetime as dt

import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.care.services import enrolment_end
from fyren.instruments.library import LIBRARY
from fyren.questionnaires.models import Response
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture
from fyren.reporting.outcomes import BenefitAssumptions, benefit, change_class, instrument_outcome
from fyren.reporting.selectors import program_outcomes


def test_reliable_change_where_known_and_severity_bands_otherwise():
    phq9 = LIBRARY["phq9"]
    assert change_class("phq9", phq9, "total", 16, 10) == "improved"  # 6 points
    assert change_class("phq9", phq9, "total", 16, 11) == "unchanged"  # 5 points, though a band lower
    assert change_class("phq9", phq9, "total", 8, 14) == "deteriorated"
    assert change_class("who5", LIBRARY["who5"], "percent", 40, 52) == "improved"  # higher is better
    k10 = LIBRARY["k10"]
    assert change_class("k10", k10, "total", 35, 18) == "improved"  # from a severe to a lower band
    assert change_class("k10", k10, "total", 12, 14) == "unchanged"


def test_an_instrument_outcome_counts_enrolments_with_two_scores():
    o = instrument_outcome("gad7", "GAD-7", LIBRARY["gad7"], "total", [[15, 9, 7], [10, 12], [8]])
    assert (o.n, o.mean_baseline, o.mean_last, o.mean_change) == (2, 12.5, 9.5, -3.0)
    assert (o.improved, o.deteriorated, o.share_improved) == (1, 0, 50)


def test_benefit_on_stated_assumptions():
    b = benefit(100, BenefitAssumptions(visit_share=0.5, km_per_visit=20, co2_kg_per_km=0.1, minutes_per_visit=60))
    assert (b.visits_avoided, b.km_avoided, b.co2_kg_avoided, b.hours_saved, b.sheets_saved) == (50, 1000, 100, 50, 200)


@pytest.mark.django_db
def test_outcomes_per_version_and_the_page(client, enrolled, make):  # noqa: F811
    w = enrolled
    w.region.county_code = "03"
    w.region.save()
    for total, days in ((18, 30), (9, 1)):
        at = timezone.now() - dt.timedelta(days=days)
        Response.objects.create(
            citizen=w.patient,
            enrolment=w.enrolment,
            instrument_code="phq9",
            definition=LIBRARY["phq9"],
            status="completed",
            scores={"total": total},
            submitted_at=at,
        )
    enrolment_end(actor=w.clinician, enrolment=w.enrolment, completed=False, reason="Flyttar")
    today = timezone.localdate()
    (o,) = program_outcomes(units=[w.unit], start=today - dt.timedelta(days=5), end=today)
    assert (o.started, o.discontinued, o.end_reasons) == (1, 1, {"Flyttar": 1})
    (phq9,) = [i for i in o.instruments if i.code == "phq9"]
    assert (phq9.n, phq9.improved, phq9.mean_change) == (1, 1, -9.0)
    analyst = make.staff("analyst", ("analyst", w.unit))
    force_login_staff(client, analyst)
    query = {
        "start": (today - dt.timedelta(days=5)).isoformat(),
        "end": today.isoformat(),
        "visit_share": 0.5,
        "km_per_visit": 20,
        "co2_kg_per_km": 0.12,
        "minutes_per_visit": 90,
        "sheets_per_contact": 2,
    }
    page = client.get("/reporting/programs/", query)
    assert page.status_code == 200 and "Flyttar" in page.content.decode()
    assert w.patient.given_name not in page.content.decode()
    hidden = client.get("/reporting/programs/", {**query, "threshold": 5})
    assert hidden.context["outcomes"][0].hidden >= {"started", "discontinued", "mean_modules"}
    force_login_staff(client, w.clinician)
    assert client.get("/reporting/programs/", query).status_code == 404
