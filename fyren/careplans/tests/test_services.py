import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from fyren.audit.models import AccessLogEntry
from fyren.booking import schedule_services
from fyren.booking import services as booking
from fyren.care.models import CareRelation, ElementAnswer
from fyren.careplans import revisions, selectors, services
from fyren.careplans.flagging import fixed_contact_flags_sync
from fyren.careplans.models import Agreement, Comment, Contract, Participant, Revision
from fyren.flags.models import Flag
from fyren.flags.services import absence_add
from fyren.messaging.models import Message, Thread

from .conftest import join

pytestmark = pytest.mark.django_db


def test_starting_a_contract_makes_the_unit_a_participant_and_revision_one(plan_world):
    w = plan_world
    assert w.contract.revision == 1
    assert Participant.objects.get(contract=w.contract).status == Participant.Status.ACCEPTED
    assert services.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient) == w.contract
    assert Contract.objects.count() == 1


def test_only_a_clinician_with_the_patient_starts_one(plan_world):
    w = plan_world
    with pytest.raises(PermissionDenied):
        services.contract_start(actor=w.outsider, unit=w.other_unit, citizen=w.patient)
    with pytest.raises(PermissionDenied):
        services.contract_start(actor=w.clinician, unit=w.unit, citizen=w.stranger)


def test_an_invited_unit_takes_part_only_when_it_accepts(plan_world):
    w = plan_world
    participant = services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)
    with pytest.raises(PermissionDenied):
        services.goal_save(actor=w.gp, contract=w.contract, unit=w.primary, text="Sova bättre")
    assert not CareRelation.objects.filter(unit=w.primary).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_answer(actor=w.outsider, participant=participant, accept=True)
    services.invitation_answer(actor=w.gp_admin, participant=participant, accept=True)
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ACCEPTED
    assert CareRelation.objects.active().filter(unit=w.primary, citizen=w.patient).exists()
    services.goal_save(actor=w.gp, contract=w.contract, unit=w.primary, text="Sova bättre")


def test_a_declined_invitation_needs_a_reason_and_can_be_renewed(plan_world):
    w = plan_world
    participant = services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)
    with pytest.raises(ValidationError):
        services.invitation_answer(actor=w.gp, participant=participant, accept=False)
    services.invitation_answer(actor=w.gp, participant=participant, accept=False, reason="Not listed with us")
    with pytest.raises(ValidationError):
        services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.unit)
    again = services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)
    assert again.pk == participant.pk and again.status == Participant.Status.INVITED
    with pytest.raises(ValidationError):
        services.contract_invite(actor=w.clinician, contract=w.contract, unit=w.unit, invited_unit=w.primary)


def test_every_change_makes_a_revision_with_the_whole_contract(plan_world):
    w = plan_world
    join(w)
    goal = services.goal_save(
        actor=w.clinician,
        contract=w.contract,
        unit=w.unit,
        text="Orka jobba halvtid",
        instrument_code="phq9",
        comparison="at_most",
        target_value=9,
    )
    services.activity_save(
        actor=w.gp,
        contract=w.contract,
        unit=w.primary,
        what="Uppföljande samtal",
        how="phone",
        who_role="Distriktssköterska",
        recurrence="Var fjärde vecka",
        goal=goal,
    )
    numbers = list(Revision.objects.filter(contract=w.contract).values_list("number", flat=True))
    assert numbers == [5, 4, 3, 2, 1]
    latest = Revision.objects.get(contract=w.contract, number=5).snapshot
    assert latest["goals"][str(goal.pk)]["target"] == "phq9 at_most 9"
    assert any(a["what"] == "Uppföljande samtal" for a in latest["activities"].values())


def test_a_measurable_goal_names_a_library_questionnaire_and_a_target(plan_world):
    w = plan_world
    with pytest.raises(ValidationError):
        services.goal_save(
            actor=w.clinician,
            contract=w.contract,
            unit=w.unit,
            text="x",
            instrument_code="nope",
            comparison="at_most",
            target_value=1,
        )
    with pytest.raises(ValidationError):
        services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="x", instrument_code="phq9")
    with pytest.raises(ValidationError):
        services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="  ")
    assert w.contract.goals.count() == 0


def test_an_activity_says_who_and_a_period_runs_forward(plan_world, today):
    w = plan_world
    base = {"actor": w.clinician, "contract": w.contract, "unit": w.unit, "what": "KBT", "how": "digital"}
    with pytest.raises(ValidationError):
        services.activity_save(**base)
    with pytest.raises(ValidationError):
        services.activity_save(**base, who_role="Psykolog", starts_on=today, ends_on=today.replace(year=today.year - 1))
    with pytest.raises(ValidationError):
        services.activity_save(**base, who_person=w.gp)  # not of this unit
    services.activity_save(**base, who_person=w.clinician, starts_on=today)


def test_a_unit_edits_only_its_own_goals(plan_world):
    w = plan_world
    join(w)
    goal = services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Mål")
    with pytest.raises(PermissionDenied):
        services.goal_save(actor=w.gp, contract=w.contract, unit=w.primary, text="Ändrat", goal=goal)


def test_a_plan_not_shared_shows_only_its_title_to_other_units(plan_world):
    w = plan_world
    join(w)
    private = services.plan_save(
        actor=w.clinician,
        contract=w.contract,
        unit=w.unit,
        kind="care",
        title="Psykiatrisk vårdplan",
        shared=False,
        treatment="Medicinering",
    )
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Hemligt mål", plan=private)
    seen_by_gp = selectors.contract_for_clinician_or_404(actor=w.gp, unit=w.primary, contract_id=w.contract.pk)
    assert [p.hidden for p in seen_by_gp.plan_list] == [True] and seen_by_gp.goal_list == []
    own = selectors.contract_for_clinician_or_404(actor=w.clinician, unit=w.unit, contract_id=w.contract.pk)
    assert [p.hidden for p in own.plan_list] == [False] and len(own.goal_list) == 1


def test_a_sip_lists_participants_outside_fyren(plan_world, today):
    w = plan_world
    sip = services.plan_save(
        actor=w.clinician,
        contract=w.contract,
        unit=w.unit,
        kind="sip",
        title="SIP",
        meeting_on=today,
        coordinator="Kommunens biståndshandläggare",
        decisions="Hemtjänst två gånger per dag",
    )
    services.plan_member_add(actor=w.clinician, plan=sip, name="Maria Berg", role="Hemtjänst", organisation="Kommunen")
    with pytest.raises(ValidationError):
        services.plan_member_add(actor=w.clinician, plan=sip, name="", role="Anhörig")
    assert sip.members.count() == 1


def test_the_citizen_sees_what_changed_since_they_last_looked(plan_world):
    w = plan_world
    contract = selectors.contract_for_citizen_user_or_404(w.patient.user, w.patient.pk)
    seen, changes = selectors.changes_since_seen(contract, w.patient.user)
    assert seen is None and changes  # never looked: everything is new
    services.contract_seen(actor=w.patient.user, contract=contract)
    contract = selectors.contract_for_citizen_user_or_404(w.patient.user, w.patient.pk)
    assert selectors.changes_since_seen(contract, w.patient.user)[1] == []
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Promenera varje dag")
    contract = selectors.contract_for_citizen_user_or_404(w.patient.user, w.patient.pk)
    seen, changes = selectors.changes_since_seen(contract, w.patient.user)
    assert seen == 1 and [(c.section, c.kind, c.label) for c in changes] == [("goals", "added", "Promenera varje dag")]


def test_agreement_is_to_the_latest_revision_and_recorded_once(plan_world):
    w = plan_world
    services.contract_agree(actor=w.patient.user, contract=w.contract, number=1)
    services.contract_agree(actor=w.patient.user, contract=w.contract, number=1)
    assert Agreement.objects.count() == 1
    services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Nytt mål")
    with pytest.raises(ValidationError):
        services.contract_agree(actor=w.patient.user, contract=w.contract, number=1)
    with pytest.raises(PermissionDenied):
        services.contract_agree(actor=w.stranger.user, contract=w.contract, number=2)
    with pytest.raises(PermissionDenied):
        services.contract_agree(actor=w.clinician, contract=w.contract, number=2)


def test_a_comment_reaches_the_units_inbox_as_a_message_once(plan_world):
    w = plan_world
    goal = services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Sova bättre")
    token = uuid.uuid4()
    first = services.comment_add(
        actor=w.patient.user, contract=w.contract, text="Kan vi ta det lugnare?", goal=goal, client_token=token
    )
    again = services.comment_add(
        actor=w.patient.user, contract=w.contract, text="Kan vi ta det lugnare?", goal=goal, client_token=token
    )
    assert first == again and Comment.objects.count() == 1
    thread = Thread.objects.get(unit=w.unit, citizen=w.patient)
    assert thread.waiting_since is not None
    message = Message.objects.get(thread=thread)
    assert message.from_citizen and "Sova bättre" in message.body and "lugnare" in message.body
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=w.stranger.user, contract=w.contract, text="x", client_token=uuid.uuid4())


def test_urgent_words_in_a_comment_raise_the_urgent_flag(plan_world):
    w = plan_world
    services.comment_add(
        actor=w.patient.user,
        contract=w.contract,
        unit=w.unit,
        text="Jag vill inte leva längre",
        client_token=uuid.uuid4(),
    )
    assert Flag.objects.filter(kind=Flag.Kind.URGENT_MESSAGE, unit=w.unit, urgent=True).exists()


def test_the_citizen_writes_their_priorities(plan_world):
    w = plan_world
    services.priorities_set(actor=w.patient.user, contract=w.contract, text="Att kunna träffa barnbarnen")
    w.contract.refresh_from_db()
    assert w.contract.priorities == "Att kunna träffa barnbarnen" and w.contract.revision == 2
    with pytest.raises(PermissionDenied):
        services.priorities_set(actor=w.clinician, contract=w.contract, text="x")


def test_a_unit_without_a_fixed_care_contact_has_a_flag_until_one_is_named(plan_world, today):
    w = plan_world
    flag = Flag.objects.get(kind=Flag.Kind.FIXED_CONTACT, unit=w.unit)
    assert flag.is_open
    with pytest.raises(ValidationError):
        services.fixed_contact_set(actor=w.clinician, contract=w.contract, unit=w.unit, person=w.gp, how_to_reach="x")
    services.fixed_contact_set(
        actor=w.clinician, contract=w.contract, unit=w.unit, person=w.clinician, how_to_reach="Meddelande i Fyren"
    )
    flag.refresh_from_db()
    assert not flag.is_open
    absence_add(actor=w.clinician, user=w.clinician, unit=w.unit, starts_on=today)
    assert fixed_contact_flags_sync() == 1
    assert Flag.objects.filter(kind=Flag.Kind.FIXED_CONTACT, acknowledged_at__isnull=True).count() == 1


def test_reads_are_logged_and_outsiders_see_nothing(plan_world):
    w = plan_world
    with pytest.raises(Http404):
        selectors.contract_for_clinician_or_404(actor=w.outsider, unit=w.other_unit, contract_id=w.contract.pk)
    with pytest.raises(Http404):
        selectors.contract_for_clinician_or_404(actor=w.gp, unit=w.primary, contract_id=w.contract.pk)
    with pytest.raises(Http404):
        selectors.contract_for_citizen_user_or_404(w.stranger.user, w.patient.pk)
    selectors.contract_for_clinician_or_404(actor=w.clinician, unit=w.unit, contract_id=w.contract.pk)
    assert AccessLogEntry.objects.filter(object_type="patient_contract", action="read").exists()


def test_changes_are_listed_by_section():
    old = {"priorities": "", "goals": {"1": {"text": "A", "status": "active"}}, "activities": {"2": {"what": "B"}}}
    new = {"priorities": "P", "goals": {"1": {"text": "A", "status": "reached"}}, "activities": {}}
    found = revisions.changes(old, new)
    assert [(c.section, c.kind) for c in found] == [
        ("priorities", "added"),
        ("goals", "changed"),
        ("activities", "removed"),
    ]
    assert found[1].fields == ("status",)


def test_a_goal_can_be_measured_by_a_measurement_in_a_program(measured):
    w = measured
    goal = services.goal_save(
        actor=w.clinician,
        contract=w.contract,
        unit=w.unit,
        text="Gå ned i vikt",
        measurement=(w.measured_enrolment, w.weight),
        comparison="at_most",
        target_value=80,
    )
    assert goal.measurement_label == "Vikt (kg)" and goal.instrument_code == ""
    ElementAnswer.objects.create(
        enrolment=w.measured_enrolment, element_key=w.weight.key, value={"value": 84.5, "unit": "kg"}
    )
    loaded = selectors.contract_for_clinician_or_404(actor=w.clinician, unit=w.unit, contract_id=w.contract.pk)
    progress = loaded.goal_list[0].progress
    assert progress.value == 84.5 and progress.reached is False
    with pytest.raises(ValidationError):
        services.goal_save(
            actor=w.clinician,
            contract=w.contract,
            unit=w.unit,
            text="x",
            instrument_code="phq9",
            measurement=(w.measured_enrolment, w.weight),
            comparison="at_most",
            target_value=1,
        )
    with pytest.raises(ValidationError):  # a measurement needs a target
        services.goal_save(
            actor=w.clinician, contract=w.contract, unit=w.unit, text="x", measurement=(w.measured_enrolment, w.weight)
        )
    with pytest.raises(ValidationError):  # another unit's program
        join(w)
        services.goal_save(
            actor=w.gp,
            contract=w.contract,
            unit=w.primary,
            text="x",
            measurement=(w.measured_enrolment, w.weight),
            comparison="at_most",
            target_value=1,
        )


def test_a_unit_marks_its_own_goals_and_activities(plan_world):
    w = plan_world
    join(w)
    goal = services.goal_save(actor=w.clinician, contract=w.contract, unit=w.unit, text="Sova")
    activity = services.activity_save(
        actor=w.gp, contract=w.contract, unit=w.primary, what="Samtal", how="phone", who_role="Sköterska"
    )
    before = Contract.objects.get(pk=w.contract.pk).revision
    services.goal_status_set(actor=w.clinician, goal=goal, unit=w.unit, status="reached")
    services.activity_status_set(actor=w.gp, activity=activity, unit=w.primary, status="done")
    assert Contract.objects.get(pk=w.contract.pk).revision == before + 2
    with pytest.raises(PermissionDenied):
        services.goal_status_set(actor=w.gp, goal=goal, unit=w.primary, status="dropped")
    with pytest.raises(ValidationError):
        services.activity_status_set(actor=w.gp, activity=activity, unit=w.primary, status="nonsense")


def test_an_activity_carried_out_at_a_visit_follows_its_rebooking(plan_world):
    w = plan_world
    schedule = schedule_services.schedule_save(actor=w.clinician, unit=w.unit, kind="room", title="Rum 1")
    first, later, third = (
        schedule_services.slot_add(
            actor=w.clinician,
            schedule=schedule,
            starts_at=timezone.now() + dt.timedelta(days=days),
            minutes=30,
            visit_kind="at_unit",
            audience="staff",
        )
        for days in (3, 4, 5)
    )
    visit = booking.booking_make(actor=w.clinician, citizen=w.patient, slot=first)
    base = {"actor": w.clinician, "contract": w.contract, "unit": w.unit, "what": "Samtal", "how": "visit"}
    activity = services.activity_save(**base, who_role="Psykolog", booking=visit)
    moved = booking.booking_rebook(actor=w.clinician, booking=visit, slot=later)
    contract = selectors.contract_for_clinician_or_404(actor=w.clinician, unit=w.unit, contract_id=w.contract.pk)
    (shown,) = [a for a in contract.activity_list if a.pk == activity.pk]
    assert shown.visit.pk == moved.pk
    CareRelation.objects.create(citizen=w.stranger, unit=w.unit, reason="test")
    not_theirs = booking.booking_make(actor=w.clinician, citizen=w.stranger, slot=third)
    with pytest.raises(ValidationError):
        services.activity_save(**base, who_role="Psykolog", booking=not_theirs)
