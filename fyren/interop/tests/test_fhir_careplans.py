"""Episodes, care requests and patient contracts in the journal export bundle,
valid against the official R4 JSON schema."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.booking import schedule_services
from fyren.booking import services as booking
from fyren.careplans import services as plans
from fyren.episodes import services as episodes
from fyren.episodes.models import EpisodePoint
from fyren.instruments.tests.test_fhir_questionnaire import SCHEMA, assert_valid
from fyren.journal.models import JournalExport
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not SCHEMA.exists(), reason="npm ci installs the FHIR schema")]


@pytest.fixture
def bundle(client, enrolled, make):  # noqa: F811
    w = enrolled
    today = timezone.localdate()
    pathway = episodes.pathway_save(actor=w.provider_admin, region=w.region, name="SVF Depression", area="depression")
    episodes.pathway_codes_set(
        actor=w.provider_admin, pathway=pathway, year=today.year, codes={"A": "XU100", "B": "XU110"}
    )
    primary = make.unit(w.region, "P2", "Vårdcentral")
    gp = make.staff("gp", (Role.CLINICIAN, primary))
    make.care_relation(w.patient, primary)
    request = episodes.care_request_send(
        actor=gp,
        citizen=w.patient,
        from_unit=primary,
        to_unit=w.unit,
        reason="Depression",
        client_token=uuid.uuid4(),
        pathway=pathway,
        decided_at=timezone.now() - dt.timedelta(days=3),
    )
    EpisodePoint.objects.filter(episode=request.episode, point="B").update(at=timezone.now() - dt.timedelta(days=2))
    episodes.care_request_decide(actor=w.clinician, request=request, accept=True)
    episodes.episode_pause_add(
        actor=w.clinician, episode=request.episode, kind="patient", starts_on=today, ends_on=None, reason="Semester"
    )
    contract = plans.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient)
    plans.fixed_contact_set(actor=w.clinician, contract=contract, unit=w.unit, person=w.clinician, how_to_reach="Fyren")
    goal = plans.goal_save(
        actor=w.clinician,
        contract=contract,
        unit=w.unit,
        text="Må bättre",
        instrument_code="phq9",
        comparison="at_most",
        target_value=9,
    )
    plans.activity_save(
        actor=w.clinician,
        contract=contract,
        unit=w.unit,
        what="KBT",
        how="digital",
        who_role="Psykolog",
        starts_on=today,
        ends_on=today + dt.timedelta(days=60),
        goal=goal,
        enrolment=w.enrolment,
    )
    plans.activity_save(
        actor=w.clinician,
        contract=contract,
        unit=w.unit,
        what="Promenad",
        how="self_care",
        who_role="Patienten",
        recurrence="Varje dag",
    )
    room = schedule_services.schedule_save(actor=w.clinician, unit=w.unit, kind="room", title="Rum 2")
    slot = schedule_services.slot_add(
        actor=w.clinician,
        schedule=room,
        starts_at=timezone.now() + dt.timedelta(days=3),
        minutes=45,
        visit_kind="at_unit",
        audience="staff",
    )
    plans.activity_save(
        actor=w.clinician,
        contract=contract,
        unit=w.unit,
        what="Uppföljande samtal",
        how="visit",
        who_role="Psykolog",
        booking=booking.booking_make(actor=w.clinician, citizen=w.patient, slot=slot),
    )
    sip = plans.plan_save(
        actor=w.clinician, contract=contract, unit=w.unit, kind="sip", title="SIP", decisions="Hemtjänst"
    )
    plans.plan_member_add(actor=w.clinician, plan=sip, name="Lisa Ek", role="Biståndshandläggare")
    force_login_staff(client, w.clinician)
    client.post(
        f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/journal/", {"period_start": today, "period_end": today}
    )
    export = JournalExport.objects.get()
    return json.loads(client.get(f"/clinic/{w.unit.pk}/journal/{export.pk}/bundle.json").content)


def _of(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_new_resource_is_valid_r4(bundle):
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"EpisodeOfCare", "ServiceRequest", "CarePlan", "Goal", "CareTeam"} <= kinds
    assert_valid(bundle)
    for entry in bundle["entry"]:
        assert_valid(entry["resource"])


def test_the_episode_carries_its_measurement_points_and_pauses(bundle):
    episodes_ = _of(bundle, "EpisodeOfCare")
    referred = next(e for e in episodes_ if "referralRequest" in e)
    points = [h["extension"][0]["valueCoding"]["code"] for h in referred["statusHistory"] if h["status"] != "onhold"]
    assert points[:3] == ["A", "B", "C"]
    first = referred["statusHistory"][0]
    assert first["status"] == "planned" and first["extension"][1]["valueCoding"]["code"] == "XU100"
    assert any(h["status"] == "onhold" for h in referred["statusHistory"])
    references = {e["fullUrl"] for e in bundle["entry"]}
    assert referred["referralRequest"][0]["reference"] in references


def test_the_contract_is_a_careplan_with_goals_activities_and_its_team(bundle):
    contract = next(c for c in _of(bundle, "CarePlan") if c.get("title") == "Patientkontrakt")
    assert len(contract["activity"]) == 3 and contract["goal"]
    appointments = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Appointment"}
    (at_visit,) = [a for a in contract["activity"] if "reference" in a]
    assert at_visit["reference"]["reference"] in appointments
    goal = _of(bundle, "Goal")[0]
    assert goal["target"][0]["detailRange"]["high"]["value"] == 9
    team = _of(bundle, "CareTeam")[0]
    roles = [p["role"][0]["text"] for p in team["participant"]]
    assert "Biståndshandläggare" in roles and any("fixed care contact" in r for r in roles)
    sip = next(c for c in _of(bundle, "CarePlan") if c.get("title") == "SIP")
    references = {e["fullUrl"] for e in bundle["entry"]}
    assert sip["partOf"][0]["reference"] in references
