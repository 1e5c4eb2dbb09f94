import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry, AuditEvent
from fyren.care.models import CareRelation
from fyren.care.services import enrolment_end
from fyren.episodes import services
from fyren.episodes.flagging import lead_time_flags_raise
from fyren.episodes.models import CareRequest, Episode, EpisodePause, EpisodePoint
from fyren.episodes.selectors import lead_table
from fyren.flags.models import Flag

pytestmark = pytest.mark.django_db


def noon(days_ago: int) -> dt.datetime:
    """Local noon some days back: calendar days then do not depend on the hour or on daylight saving."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days_ago), dt.time(12)))


def ago(days=0, hours=0):
    return timezone.now() - dt.timedelta(days=days, hours=hours)


@pytest.fixture
def pathway(world):
    pathway = services.pathway_save(
        actor=world.provider_admin, region=world.region, name="SVF Depression", area="depression"
    )
    services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="B", to_point="C", days=3)
    services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="B", to_point="E", days=30)
    return pathway


@pytest.fixture
def episode(world, pathway):
    return services.episode_open(actor=world.clinician, citizen=world.patient, unit=world.unit, pathway=pathway)


def record(world, episode, point, at, **kw):
    return services.episode_point_record(actor=world.clinician, episode=episode, point=point, at=at, **kw)


# --- pathways ---------------------------------------------------------------------------------


def test_only_the_regions_care_provider_admin_defines_pathways(world, pathway):
    with pytest.raises(PermissionDenied):
        services.pathway_save(actor=world.clinician, region=world.region, name="X", area="anxiety")
    with pytest.raises(PermissionDenied):
        services.pathway_target_set(actor=world.outsider, pathway=pathway, from_point="A", to_point="B", days=1)
    with pytest.raises(ValidationError):
        services.pathway_save(actor=world.provider_admin, region=world.region, name="svf depression", area="anxiety")


def test_a_target_runs_forward_between_points(world, pathway):
    with pytest.raises(ValidationError):
        services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="C", to_point="B", days=3)
    services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="B", to_point="C", days=5)
    assert pathway.targets.get(from_point="B", to_point="C").days == 5
    services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="B", to_point="C", days=None)
    assert not pathway.targets.filter(from_point="B", to_point="C").exists()


def test_codes_are_kept_per_year(world, pathway):
    services.pathway_codes_set(
        actor=world.provider_admin, pathway=pathway, year=2026, codes={"A": "xs001", "B": "XS002"}
    )
    services.pathway_codes_set(actor=world.provider_admin, pathway=pathway, year=2027, codes={"A": "XS101", "B": ""})
    assert dict(pathway.codes.filter(year=2026).values_list("point", "code")) == {"A": "XS001", "B": "XS002"}
    assert dict(pathway.codes.filter(year=2027).values_list("point", "code")) == {"A": "XS101"}
    with pytest.raises(ValidationError):
        services.pathway_codes_set(actor=world.provider_admin, pathway=pathway, year=2026, codes={"A": "bad code!"})
    assert pathway.codes.filter(year=2026).count() == 2  # unchanged


# --- points ---------------------------------------------------------------------------------


def test_an_episode_may_start_at_any_point(world, episode):
    record(world, episode, "D", ago(3))
    record(world, episode, "E", ago(2))
    assert list(episode.points.values_list("point", flat=True)) == ["D", "E"]


def test_points_keep_their_order(world, episode):
    record(world, episode, "B", ago(10))
    record(world, episode, "D", ago(5))
    with pytest.raises(ValidationError):
        record(world, episode, "C", ago(11))  # before B
    with pytest.raises(ValidationError):
        record(world, episode, "C", ago(4))  # after D
    with pytest.raises(ValidationError):
        record(world, episode, "A", ago(9))  # after B
    record(world, episode, "C", ago(7))
    assert episode.points.count() == 3


def test_a_point_is_recorded_once_and_never_in_the_future(world, episode):
    record(world, episode, "B", ago(1))
    with pytest.raises(ValidationError):
        record(world, episode, "B", ago(0))
    with pytest.raises(ValidationError):
        record(world, episode, "C", timezone.now() + dt.timedelta(days=1))


def test_g_ends_the_episode_and_nothing_is_recorded_after(world, episode):
    record(world, episode, "F", ago(2))
    record(world, episode, "G", ago(1))
    episode.refresh_from_db()
    assert episode.status == Episode.Status.ENDED and episode.closed_at is not None
    with pytest.raises(ValidationError):
        record(world, episode, "E", ago(3))


def test_a_correction_keeps_the_old_value_with_who_and_why(world, episode):
    point = record(world, episode, "B", ago(5))
    old = point.at
    with pytest.raises(ValidationError):
        services.episode_point_correct(actor=world.clinician, episode=episode, point="B", at=ago(6), reason=" ")
    services.episode_point_correct(
        actor=world.clinician, episode=episode, point="B", at=ago(6), reason="Wrong day typed"
    )
    point.refresh_from_db()
    correction = point.corrections.get()
    assert correction.old_at == old and correction.new_at == point.at
    assert correction.corrected_by == world.clinician and correction.reason == "Wrong day typed"
    assert AuditEvent.objects.filter(action="episode.point.correct").exists()
    assert AccessLogEntry.objects.filter(object_type="episode_point", action="change").exists()


def test_a_correction_cannot_break_the_order(world, episode):
    record(world, episode, "B", ago(5))
    record(world, episode, "C", ago(4))
    with pytest.raises(ValidationError):
        services.episode_point_correct(actor=world.clinician, episode=episode, point="B", at=ago(3), reason="x")
    assert not EpisodePoint.objects.get(episode=episode, point="B").corrections.exists()


def test_outsiders_cannot_record_points(world, episode):
    with pytest.raises(PermissionDenied):
        services.episode_point_record(actor=world.outsider, episode=episode, point="B", at=ago(1))
    with pytest.raises(PermissionDenied):
        services.episode_open(actor=world.outsider, citizen=world.patient, unit=world.unit)


def test_a_pathway_of_another_region_is_refused(world, make):
    foreign = services.pathway_save(
        actor=make.staff("otheradmin", (Role.CARE_PROVIDER_ADMIN, world.other_region)),
        region=world.other_region,
        name="SVF",
        area="anxiety",
    )
    with pytest.raises(ValidationError):
        services.episode_open(actor=world.clinician, citizen=world.patient, unit=world.unit, pathway=foreign)


# --- pauses ---------------------------------------------------------------------------------


def test_pauses_are_recorded_with_dates_and_counted_apart(world, episode, today):
    record(world, episode, "B", noon(20))
    services.episode_pause_add(
        actor=world.clinician,
        episode=episode,
        kind="patient",
        starts_on=today - dt.timedelta(days=15),
        ends_on=today - dt.timedelta(days=6),
        reason="Travelling",
    )
    record(world, episode, "C", noon(1))
    episode = Episode.objects.prefetch_related("points", "pauses").get(pk=episode.pk)
    lead = lead_table(episode, today=today).cells[("B", "C")]
    assert lead.days == 19 and lead.patient_days == 10 and lead.counted_days == 9


def test_pauses_of_one_kind_do_not_overlap_and_end_after_they_start(world, episode, today):
    record(world, episode, "B", ago(20))
    add = {"actor": world.clinician, "episode": episode, "reason": "r"}
    services.episode_pause_add(**add, kind="medical", starts_on=today - dt.timedelta(days=10), ends_on=None)
    with pytest.raises(ValidationError):
        services.episode_pause_add(**add, kind="medical", starts_on=today - dt.timedelta(days=2), ends_on=None)
    with pytest.raises(ValidationError):
        services.episode_pause_add(**add, kind="patient", starts_on=today, ends_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.episode_pause_add(**add, kind="patient", starts_on=today - dt.timedelta(days=400), ends_on=None)
    services.episode_pause_add(**add, kind="patient", starts_on=today - dt.timedelta(days=2), ends_on=None)
    pause = EpisodePause.objects.get(kind="medical")
    with pytest.raises(ValidationError):
        services.episode_pause_end(actor=world.clinician, pause=pause, ends_on=today - dt.timedelta(days=11))
    services.episode_pause_end(actor=world.clinician, pause=pause, ends_on=today)
    pause.refresh_from_db()
    assert pause.ends_on == today


# --- points from what happens in Fyren --------------------------------------------------------


def test_a_program_started_by_staff_records_d_and_e(enrolled):
    episode = Episode.objects.get(citizen=enrolled.patient, unit=enrolled.unit)
    points = {p.point: p for p in episode.points.all()}
    assert set(points) == {"D", "E"}
    assert points["D"].source == "assessment" and points["E"].source == "enrolment_started"
    assert points["E"].source_id == str(enrolled.enrolment.pk)


def test_ending_the_last_program_records_f_and_g(enrolled):
    enrolment_end(actor=enrolled.clinician, enrolment=enrolled.enrolment, completed=True)
    episode = Episode.objects.get(citizen=enrolled.patient, unit=enrolled.unit)
    assert episode.status == Episode.Status.ENDED
    assert set(episode.points.values_list("point", flat=True)) == {"D", "E", "F", "G"}


def test_an_automatic_point_never_overwrites_one_entered_by_staff(world, episode):
    manual = record(world, episode, "E", ago(3))
    assert (
        services.episode_point_auto(
            citizen=world.patient, unit=world.unit, point="E", at=ago(0), source="enrolment_started"
        )
        is None
    )
    manual.refresh_from_db()
    assert manual.source == "staff"


# --- care requests ---------------------------------------------------------------------------


@pytest.fixture
def receiving(world, make):
    unit = make.unit(world.region, "A2", "Psykiatri")
    world.receiver = make.staff("receiver", (Role.CLINICIAN, unit))
    world.receiving_unit = unit
    return unit


def send(world, **kw):
    values = {
        "actor": world.clinician,
        "citizen": world.patient,
        "from_unit": world.unit,
        "to_unit": world.receiving_unit,
        "reason": "Depression, needs KBT",
        "client_token": uuid.uuid4(),
    }
    values.update(kw)
    return services.care_request_send(**values)


def test_a_care_request_records_a_at_the_sender_and_b_on_arrival(world, receiving):
    decided = ago(2)
    request = send(world, decided_at=decided)
    points = {p.point: p for p in request.episode.points.all()}
    assert points["A"].at == decided and points["A"].unit == world.unit
    assert points["B"].unit == receiving and request.episode.status == Episode.Status.REQUESTED
    assert AccessLogEntry.objects.filter(object_type="care_request", action="disclose", unit_id=world.unit.pk).exists()


def test_sending_twice_makes_one_request(world, receiving):
    token = uuid.uuid4()
    assert send(world, client_token=token) == send(world, client_token=token)
    assert CareRequest.objects.count() == 1


def test_only_a_clinician_with_the_patient_sends(world, receiving):
    with pytest.raises(PermissionDenied):
        send(world, citizen=world.stranger)
    with pytest.raises(ValidationError):
        send(world, to_unit=world.unit)
    assert not CareRequest.objects.exists() and not Episode.objects.exists()


def test_the_receiving_unit_has_no_access_until_it_accepts(world, receiving):
    request = send(world)
    assert not CareRelation.objects.filter(unit=receiving, citizen=world.patient).exists()
    with pytest.raises(PermissionDenied):
        services.care_request_decide(actor=world.clinician, request=request, accept=True)  # the sender
    services.care_request_decide(actor=world.receiver, request=request, accept=True)
    request.refresh_from_db()
    assert request.status == CareRequest.Status.ACCEPTED
    assert request.episode.status == Episode.Status.OPEN
    assert request.episode.points.filter(point="C").exists()
    assert CareRelation.objects.active().filter(unit=receiving, citizen=world.patient).exists()


def test_declining_needs_a_reason_and_closes_the_episode(world, receiving):
    request = send(world)
    with pytest.raises(ValidationError):
        services.care_request_decide(actor=world.receiver, request=request, accept=False, reason="")
    services.care_request_decide(actor=world.receiver, request=request, accept=False, reason="Belongs in primary care")
    request.refresh_from_db()
    assert request.status == CareRequest.Status.DECLINED and request.decline_reason == "Belongs in primary care"
    assert request.episode.status == Episode.Status.DECLINED
    assert not CareRelation.objects.filter(unit=receiving, citizen=world.patient).exists()


# --- lead-time flags ------------------------------------------------------------------------


def test_a_target_about_to_be_missed_raises_a_flag_that_reaching_it_settles(world, receiving, make):
    pathway = services.pathway_save(actor=world.provider_admin, region=world.region, name="SVF Ångest", area="anxiety")
    services.pathway_target_set(actor=world.provider_admin, pathway=pathway, from_point="B", to_point="C", days=3)
    request = send(world, pathway=pathway)
    EpisodePoint.objects.filter(episode=request.episode, point="B").update(at=ago(2, 1))
    assert lead_time_flags_raise() == 1
    assert lead_time_flags_raise() == 0  # once per source
    flag = Flag.objects.get(kind=Flag.Kind.LEAD_TIME)
    assert flag.unit == receiving and "B→C" in flag.message["en"]
    services.care_request_decide(actor=world.receiver, request=request, accept=True)
    flag.refresh_from_db()
    assert flag.acknowledged_at is not None


def test_a_target_far_from_due_raises_nothing(world, episode):
    record(world, episode, "B", ago(0, 1))
    assert lead_time_flags_raise() == 0


def test_a_target_whose_end_point_was_passed_by_raises_nothing(world, episode):
    record(world, episode, "B", ago(20))
    record(world, episode, "E", ago(1))  # C and D skipped: B→C is not measured, not missed
    assert lead_time_flags_raise() == 0
