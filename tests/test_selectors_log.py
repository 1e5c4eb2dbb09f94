"""Every selector that returns citizen data to staff writes an access-log entry.

The list below names each such selector with a call that returns data. Every
public function of every ``fyren/*/selectors.py`` must be listed either here or
among the reads that are not staff reads of patient data, with the reason; a new
selector that is neither fails ``test_the_list_covers_every_selector``."""

import datetime as dt
import importlib
import inspect
from pathlib import Path

import pytest
from django.utils import timezone

from fyren.audit import selectors as audit_selectors
from fyren.audit.models import AccessLogEntry
from fyren.booking import schedule_services
from fyren.booking import selectors as booking_selectors
from fyren.booking import services as booking_services
from fyren.booking.guarantee_services import guarantee_register
from fyren.care import selectors as care_selectors
from fyren.careplans import selectors as careplan_selectors
from fyren.careplans import services as careplan_services
from fyren.clinic import selectors as clinic_selectors
from fyren.episodes import selectors as episode_selectors
from fyren.episodes import services as episode_services
from fyren.messaging import selectors as messaging_selectors


def _waiting_thread(w):
    from django.utils import timezone

    from fyren.flags.models import Flag
    from fyren.messaging.models import Thread

    Flag.objects.get_or_create(
        kind="screening", citizen=w.patient, unit=w.unit, urgent=True, source_type="t", source_id="1"
    )
    thread, _created = Thread.objects.get_or_create(
        citizen=w.patient, unit=w.unit, subject="Hej", defaults={"waiting_since": timezone.now()}
    )
    return thread


def _completed_response(w):
    # The world has no enrolment: a screening answer before self-enrolment at the unit.
    from fyren.questionnaires.models import Response

    return Response.objects.create(
        citizen=w.patient,
        instrument_code="phq2",
        definition={"items": [], "scoring": {"scores": []}},
        language="sv",
        status=Response.Status.COMPLETED,
        screening_for=_offer(w),
    )


def _offer(w):
    from fyren.programs.models import Program, UnitProgram

    program = Program.objects.create(owner=w.region)
    return UnitProgram.objects.create(program=program, unit=w.unit, self_enrolment=True)


def _enrolment(w):
    """An enrolment row made directly (a draft version is enough for reading it)."""
    from fyren.care.models import Enrolment
    from fyren.programs.models import ProgramVersion

    version = ProgramVersion.objects.create(program=_offer(w).program, number=1)
    return Enrolment.objects.create(citizen=w.patient, program_version=version, unit=w.unit)


def _request_to_unit(w):
    """A care request from the other unit to the world's unit (rows made directly)."""
    import uuid

    from fyren.episodes.models import CareRequest, Episode

    episode = Episode.objects.create(citizen=w.patient, unit=w.unit, status=Episode.Status.REQUESTED)
    return CareRequest.objects.create(
        citizen=w.patient,
        from_unit=w.other_unit,
        to_unit=w.unit,
        reason="KBT",
        decided_to_send_at=episode.opened_at,
        episode=episode,
        client_token=uuid.uuid4(),
    )


def _booked(w):
    """A time at the unit tomorrow booked for the patient."""
    schedule = schedule_services.schedule_save(actor=w.clinician, unit=w.unit, kind="room", title="Rum 1")
    slot = schedule_services.slot_add(
        actor=w.clinician,
        schedule=schedule,
        starts_at=timezone.now() + dt.timedelta(days=2),
        minutes=30,
        visit_kind="at_unit",
        audience="staff",
    )
    return booking_services.booking_make(actor=w.clinician, citizen=w.patient, slot=slot)


def _invitation_to_unit(w):
    from fyren.careplans.models import Contract, Participant

    contract = Contract.objects.create(citizen=w.patient, started_unit=w.other_unit)
    Participant.objects.create(contract=contract, unit=w.other_unit, status=Participant.Status.ACCEPTED)
    return Participant.objects.create(contract=contract, unit=w.unit, status=Participant.Status.INVITED)


def _guarantee_case(w):
    return guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary")


pytestmark = pytest.mark.django_db

STAFF_SELECTORS = {
    "read_logged_or_404": lambda w: audit_selectors.read_logged_or_404(
        w.patient.care_relations.filter(unit=w.unit),
        actor=w.clinician,
        role="clinician",
        unit=w.unit,
        object_type="care_relation",
    ),
    "citizens_in_care_at": lambda w: care_selectors.citizens_in_care_at(actor=w.clinician, unit=w.unit),
    "citizen_get_for_clinician": lambda w: care_selectors.citizen_get_for_clinician(
        actor=w.clinician, unit=w.unit, citizen_id=w.patient.pk
    ),
    "launch_landing": lambda w: care_selectors.launch_landing(
        actor=w.clinician, units=[w.unit], identity_number=w.patient.identity_number, reason="test"
    )[0],
    "thread_for_staff_or_404": lambda w: messaging_selectors.thread_for_staff_or_404(
        actor=w.clinician, unit=w.unit, thread_id=_waiting_thread(w).pk
    ),
    "inbox_for": lambda w: _waiting_thread(w) and messaging_selectors.inbox_for(actor=w.clinician, unit=w.unit),
    "response_for_clinician_or_404": lambda w: clinic_selectors.response_for_clinician_or_404(
        actor=w.clinician, unit=w.unit, response_id=_completed_response(w).pk
    ),
    "flags_for": lambda w: _waiting_thread(w) and clinic_selectors.flags_for(actor=w.clinician, unit=w.unit),
    "episode_for_clinician_or_404": lambda w: episode_selectors.episode_for_clinician_or_404(
        actor=w.clinician,
        unit=w.unit,
        episode_id=episode_services.episode_open(actor=w.clinician, citizen=w.patient, unit=w.unit).pk,
    ),
    "care_requests_incoming": lambda w: (
        _request_to_unit(w) and episode_selectors.care_requests_incoming(actor=w.clinician, unit=w.unit)
    ),
    "care_request_for_receiver_or_404": lambda w: episode_selectors.care_request_for_receiver_or_404(
        actor=w.clinician, unit=w.unit, request_id=_request_to_unit(w).pk
    ),
    "contract_for_clinician_or_404": lambda w: careplan_selectors.contract_for_clinician_or_404(
        actor=w.clinician,
        unit=w.unit,
        contract_id=careplan_services.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient).pk,
    ),
    "invitations_for": lambda w: (
        _invitation_to_unit(w) and careplan_selectors.invitations_for(actor=w.clinician, unit=w.unit)
    ),
    "unit_calendar": lambda w: (
        _booked(w)
        and booking_selectors.unit_calendar(
            actor=w.clinician, unit=w.unit, start=timezone.localdate() + dt.timedelta(days=1), days=7
        )
    ),
    "guarantee_cases_of_unit": lambda w: (
        _guarantee_case(w) and booking_selectors.guarantee_cases_of_unit(actor=w.clinician, unit=w.unit)
    ),
    "guarantee_case_or_404": lambda w: booking_selectors.guarantee_case_or_404(
        actor=w.clinician, unit=w.unit, case_id=_guarantee_case(w).pk
    ),
    "invitation_for_unit_or_404": lambda w: careplan_selectors.invitation_for_unit_or_404(
        actor=w.clinician, unit=w.unit, participant_id=_invitation_to_unit(w).pk
    ),
    "enrolment_for_clinician_or_404": lambda w: clinic_selectors.enrolment_for_clinician_or_404(
        actor=w.clinician, unit=w.unit, enrolment_id=_enrolment(w).pk
    ),
}

# Selectors that are not staff reads of patient data, and why.
NOT_PATIENT_DATA_READS = {
    "citizen_lookup_for_emergency": "returns only existence before emergency access is granted and logged",
    "citizen_of_user": "the citizen's own record, read by the citizen",
    "citizens_represented_by": "people the logged-in citizen acts for (guardian, proxy), read by that citizen",
    "represented_ids": "the ids of the people the logged-in citizen acts for, read by that citizen",
    "citizen_for_user_or_404": "the citizen's own record or one they act for, read by the citizen",
    "access_log_for_citizen": "the citizen's own log extract, read by the citizen",
    "units_reviewable_by": "care units, no citizen data",
    "urgent_flag_count_for": "a count of the unit's urgent flags for the banner, no patient data",
    "urgent_flag_lines_for": "the banner's urgent flags without identity: kind, time, program (decisions.md #29)",
    "self_enrolment_unit_names": "names of care units where a program is open, no citizen data",
    "urgent_counts_by_unit": "numbers of urgent flags per unit, no citizen named",
    "programs_running_at": "programs with open enrolments at a unit, no citizen data",
    "access_log_for_review": "the access log itself, read by a log reviewer (reviewing the log is not care)",
    "due_sends_for": "the citizen's own due questionnaires, read by the citizen",
    "send_for_citizen_or_404": "the citizen's own questionnaire send, read by the citizen",
    "response_for_citizen_or_404": "the citizen's own answers, read by the citizen",
    "history_for": "the citizen's own results over time, read by the citizen",
    "citizen_ids_for_user": "ids of the logged-in citizen and those they act for, read by that citizen",
    "threads_for_citizen_user": "the citizen's own conversations, read by the citizen (or their guardian/proxy)",
    "unread_count_for_citizen_user": "the citizen's own unread count, read by the citizen",
    "thread_for_citizen_user_or_404": "the citizen's own conversation, read by the citizen (or their guardian/proxy)",
    "attachment_in_thread_or_404": "a file of a thread already read through a logged or citizen-scoped selector",
    "with_sent_messages": "the messages of a thread already read through a logged or citizen-scoped selector",
    "unit_clinicians": "staff users of a unit, no citizen data",
    # Logged too (one entry per patient shown), but it needs an enrolment: tested in clinic/tests/test_dashboard.py.
    "dashboard_rows": "a staff read, logged; tested with an enrolment in clinic/tests/test_dashboard.py",
    "handovers_incoming_for": "a staff read, logged; tested with a handover in clinic/tests/test_workspace.py",
    "episodes_at_unit": "episodes of a patient the page has read through citizen_get_for_clinician (logged there)",
    "care_requests_sent_for": "requests for a patient the page has read through citizen_get_for_clinician (logged)",
    "projects_for": "research projects of the actor's regions, with counts of consent (no patient data)",
    "project_for_or_404": "one research project with its counts of consent (no patient data)",
    "projects_asking": "the research projects covering the logged-in citizen's own enrolments, read by that citizen",
    "project_asking_or_404": "one of those projects, for the logged-in citizen",
    "episodes_with_points": "a query the FHIR server scopes to its token's access and logs itself (fyren/api/fhir.py)",
    "contract_as_seen_by": "loads a contract the FHIR server has scoped and logs itself (fyren/api/fhir.py)",
    "contract_of_patient": "whether a patient the page has read (logged) has a contract, and the unit's part in it",
    "point_dates": "arithmetic on an episode already read through a logged selector",
    "pauses_of": "arithmetic on an episode already read through a logged selector",
    "targets_for": "arithmetic on an episode already read through a logged selector",
    "lead_table": "arithmetic on an episode already read through a logged selector",
    "units_for_analyst": "care units whose figures an analyst may see, no citizen data",
    "pathways_for_units": "a region's care pathways, no citizen data",
    "lead_time_report": "figures per unit (count, median, percentile), no citizen named",
    "point_export_rows": "pathway points by episode number without identity, for regional reporting (audited)",
    "upcoming": "ordering of a contract already read through a logged or citizen-scoped selector",
    "contract_for_citizen_user_or_404": "the citizen's own contract (or one they act for), read by the citizen",
    "changes_since_seen": "what changed in the citizen's own contract, read by the citizen",
    "changes_since_agreed": "what changed in the citizen's own contract since they agreed, read by the citizen",
    "waiting_request_of": "the id of a waiting care request (no citizen data); the request page then reads it, logged",
    "programs_here": "programs of a patient whose contract the page has read (logged), to link goals and activities",
    "citizens_of_user": "the logged-in citizen and those they act for, read by that citizen",
    "waiting_room": "a staff read, logged; tested with today's visits in booking/tests/test_waiting_room.py",
    "bookings_for_citizen_user": "the citizen's own visits (and those of people they act for), read by the citizen",
    "has_open_offer": "whether the logged-in citizen has times offered to them (their start page's next step)",
    "booking_for_citizen_user_or_404": "the citizen's own visit, read by the citizen",
    "web_bookable_slots": "times a citizen may book, no one else's data",
    "rebookable_slots": "free times a citizen may move their own visit to, no one else's data",
    "rebookable": "the query behind rebookable_slots: free times, no one else's data",
    "draft_for": "the actor's own unsent draft in a thread the page has already read",
    "regions_for_registering": "regions, no citizen data",
    "programs_of_region": "programs, no citizen data",
    "eligible_enrolments": "the query a delivery is made from; the delivery logs each citizen it includes",
    "rules_for": "the unit's booking rules, no citizen data",
    "current_of": "follows the rebookings of a booking its caller has already read through a logged selector",
    "citizen_may_change": "the unit's deadline over a booking its caller has already read",
    "bookings_of_patient": "visits of a patient the page has read through citizen_get_for_clinician (logged)",
    "free_slots": "a unit's free times, no citizen data",
    "schedules_of": "a unit's schedules, no citizen data",
    "feed_or_404": "a calendar feed found by its secret token",
    "guarantee_report": "figures per unit, month and measure, no citizen named",
    "months_between": "calendar arithmetic, no data",
    "queue_window": "the hours a waiting-room queue covers, no data",
    "year_counts": "treatment counts per region, kind, sex and provider; population sums — no record read",
    "national_report": "the national tables from year_counts, no citizen named",
    "years_with_treatments": "which years have treatments, no record read",
    "units_in_scope": "care units whose figures an analyst may see, no citizen data",
    "connected_apps_of": "the apps the logged-in person let into their own account",
    "program_outcomes": "counts and mean scores per program version, no citizen named (small counts hidden)",
    "tables_for": "which aggregate rows an analyst may see",
    "import_runs_for": "imports (who imported which file, row counts) — no treatment record",
    "import_run_or_404": "one import and its rejected rows, read by the analyst scoped to its regions (tested)",
    "open_steps": "arithmetic on a guarantee case already read through a logged selector",
    "feed_bookings": "times and units of the feed owner's visits, no names or health content",
    "citizens_with_contract": "which of the logged-in citizen and those they act for have a contract",
    # The FHIR server's queries: scoped to the token's access by what they are given, logged by
    # fyren/api/fhir.py for each resource it returns (tested in api/tests).
    **dict.fromkeys(
        (
            "bookings_for_reader",
            "slots_for_reader",
            "schedules_for_reader",
            "enrolments_for_reader",
            "contracts_for_reader",
            "sent_messages_for_reader",
            "journal_exports_for_reader",
            "flags_for_reader",
            "completed_responses_for_reader",
            "episodes_for_reader",
            "care_requests_for_reader",
            "citizens_cared_for_by",
            "citizens_with_ids",
            "citizen_alone",
            "first_caring_unit",
        ),
        "a query the FHIR server scopes to its token's access and logs itself (fyren/api/fhir.py)",
    ),
    "contracts_holding_plans": "ids of contracts holding some plans, no citizen data",
    "units_caring_for": "ids of the units caring for a citizen, read for that citizen's own token",
    "contract_snapshot": "a contract its caller (a service writing a revision) already holds, as plain data",
    "may_act_for": "whether the user is the citizen or acts for them, no data returned",
    "remembered_language": "the user's own page language",
    "citizen_user_language": "the citizen user's own page language",
    "staff_at": "staff users of units, no citizen data",
    "staff_by_hsa_id": "a staff account by its HSA-id, no citizen data",
    "units_taking_contact_requests": "care units, no citizen data",
    "unit_taking_contact_requests_or_404": "a care unit, no citizen data",
    "licence_in_force": "a staff member's licence, no citizen data",
    "licences_at": "staff licences at a unit, no citizen data",
    "licensed_as": "staff licences, no citizen data",
    "agreed_free_slots": "free times of other units' schedules, no citizen data",
    "agreements_of": "booking agreements between units, no citizen data",
    "active_units": "care units, no citizen data",
    "all_definitions": "instrument definitions, no citizen data",
    "instrument_codes": "instrument codes, no citizen data",
    "codes_with_loinc": "instrument codes, no citizen data",
    "measurement_label": "a program element's label, no citizen data",
    "program_titles": "programs' titles, no citizen data",
    "program_groups_at": "counts of patients per program at units (FHIR Groups), no one named",
    "citizens_in_program_at": "a query the bulk export scopes to its client's unit and logs itself (fyren/api/bulk.py)",
}


@pytest.mark.parametrize("name", sorted(STAFF_SELECTORS))
def test_the_selector_writes_the_access_log(world, name):
    before = AccessLogEntry.objects.count()
    result = STAFF_SELECTORS[name](world)
    assert result
    assert AccessLogEntry.objects.count() > before
    assert AccessLogEntry.objects.filter(actor=world.clinician, unit=world.unit, citizen=world.patient).exists()


def test_the_list_covers_every_selector():
    public = set()
    for path in sorted(Path(care_selectors.__file__).parents[1].glob("*/selectors.py")):
        module = importlib.import_module(f"fyren.{path.parent.name}.selectors")
        public |= {
            name
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module.__name__ and not name.startswith("_")
        }
    assert public == set(STAFF_SELECTORS) | set(NOT_PATIENT_DATA_READS)
