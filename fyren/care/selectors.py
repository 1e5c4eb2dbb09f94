"""Reads of citizens' data by staff. Each returns only what the actor's work at
the unit needs, raises 404 for anything else, and writes the access log."""

from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from fyren.accounts.permissions import has_role
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, access_log_write_many
from fyren.people.models import Citizen

from .models import CareRelation, EmergencyAccess, Enrolment


def _in_care_at(unit):
    return Exists(CareRelation.objects.active().filter(citizen=OuterRef("pk"), unit=unit))


def _emergency_access_for(actor, unit):
    return Exists(
        EmergencyAccess.objects.filter(citizen=OuterRef("pk"), actor=actor, unit=unit, expires_at__gt=timezone.now())
    )


def citizens_in_care_at(*, actor, unit):
    """The unit's patients (active care relations), for a clinician of the unit.

    Returns a list and logs one READ entry per citizen shown; a user who is not a
    clinician there gets an empty list and nothing is logged."""
    if not has_role(actor, Role.CLINICIAN, unit):
        return []
    citizens = list(Citizen.objects.filter(_in_care_at(unit)).order_by("family_name", "given_name"))
    access_log_write_many(
        actor=actor,
        citizens=citizens,
        action=AccessLogEntry.Action.READ,
        object_type="patient_list",
        role=Role.CLINICIAN,
        unit=unit,
    )
    return citizens


def citizen_get_for_clinician(*, actor, unit, citizen_id, object_type: str = "citizen", object_id=None) -> Citizen:
    """One citizen, if the actor is a clinician at ``unit`` and the citizen has an
    active care relation there (or the actor has opened emergency access).
    Otherwise 404, exactly like a missing citizen. The log entry names what is
    read (``object_type``/``object_id``; the citizen record by default)."""
    if not has_role(actor, Role.CLINICIAN, unit):
        raise Http404
    citizen = (
        Citizen.objects.filter(pk=citizen_id)
        .annotate(in_care=_in_care_at(unit), emergency=_emergency_access_for(actor, unit))
        .first()
    )
    if citizen is None or not (citizen.in_care or citizen.emergency):
        raise Http404
    emergency = not citizen.in_care
    access_log_write(
        actor=actor,
        citizen=citizen,
        action=AccessLogEntry.Action.READ,
        object_type=object_type,
        object_id=citizen.pk if object_id is None else object_id,
        role=Role.CLINICIAN,
        unit=unit,
        outside_care_relation=emergency,
        emergency=emergency,
    )
    return citizen


def launch_landing(*, actor, units, identity_number: str, reason: str, prefer_unit_hsa_id: str = ""):
    """Where a record system's launch for the patient with ``identity_number``
    lands (fyren/api/launch_views.py): the citizen, the unit and the citizen's
    enrolments there, among ``units`` where the actor is a clinician and the
    citizen has an active care relation — the unit with ``prefer_unit_hsa_id``
    first, then the one with open enrolments. ``(None, None, [])`` when there is
    none: the same for a number Fyren does not know, so a launch never tells
    whether a person is cared for elsewhere. The read is logged once, at the unit
    landed on, with the launch as its reason."""
    units = [unit for unit in units if has_role(actor, Role.CLINICIAN, unit)]
    citizen = Citizen.objects.filter(identity_number=identity_number).first() if units else None
    if citizen is None:
        return None, None, []
    in_care = set(
        CareRelation.objects.active().filter(citizen=citizen, unit__in=units).values_list("unit_id", flat=True)
    )
    units = [unit for unit in units if unit.pk in in_care]
    if not units:
        return None, None, []
    enrolments = list(
        Enrolment.objects.filter(citizen=citizen, unit__in=units)
        .select_related("program_version", "unit")
        .order_by("-started_at")
    )

    def rank(unit):
        open_there = any(e.unit_id == unit.pk and e.status in Enrolment.OPEN_STATUSES for e in enrolments)
        return (unit.hsa_id != prefer_unit_hsa_id, not open_there, unit.pk)

    unit = min(units, key=rank)
    access_log_write(
        actor=actor,
        citizen=citizen,
        action=AccessLogEntry.Action.READ,
        object_type="launch",
        object_id=citizen.pk,
        role=Role.CLINICIAN,
        unit=unit,
        reason=reason,
    )
    return citizen, unit, [e for e in enrolments if e.unit_id == unit.pk]


def citizen_lookup_for_emergency(*, identity_number: str) -> Citizen | None:
    """Find a citizen by normalised number for the emergency-access form. Returns
    no data beyond existence; the data itself is read after access is granted."""
    return Citizen.objects.filter(identity_number=identity_number).first()


# Queries for the FHIR server and other readers that scope to a token's access
# and write the access log themselves (fyren/api/fhir.py): ``units`` is the
# reader's units, or None when a citizen reads their own.


def citizens_cared_for_by(units):
    """The citizens with an active care relation at one of ``units``."""
    return Citizen.objects.filter(pk__in=CareRelation.objects.active().filter(unit__in=units).values("citizen_id"))


def units_caring_for(citizen):
    """The ids of the units that have (or had) a care relation with the citizen."""
    return CareRelation.objects.filter(citizen=citizen).values("unit_id")


def first_caring_unit(citizen_ids, unit_ids) -> dict[int, int]:
    """For each citizen, the lowest-numbered of ``unit_ids`` with an active care relation."""
    through: dict[int, int] = {}
    rows = CareRelation.objects.active().filter(citizen_id__in=citizen_ids, unit_id__in=unit_ids)
    for citizen_id, unit_id in rows.order_by("unit_id").values_list("citizen_id", "unit_id"):
        through.setdefault(citizen_id, unit_id)
    return through


def enrolments_for_reader(citizens, units=None):
    qs = Enrolment.objects.filter(citizen__in=citizens).select_related("program_version", "unit", "citizen")
    return qs if units is None else qs.filter(unit__in=units)


def program_groups_at(units) -> list[tuple]:
    """(unit, program, number of patients) for every program with an enrolment at
    one of ``units`` whose patient is in care there: the FHIR Groups of a unit
    (counts only, no one named)."""
    rows = (
        Enrolment.objects.filter(unit__in=units, citizen__in=citizens_cared_for_by(units))
        .values("unit_id", "program_version__program_id")
        .annotate(patients=Count("citizen_id", distinct=True))
        .order_by("unit_id", "program_version__program_id")
    )
    return [(r["unit_id"], r["program_version__program_id"], r["patients"]) for r in rows]


def citizens_in_program_at(unit, program_id: int):
    """The patients in care at ``unit`` with an enrolment there in ``program_id`` (any state)."""
    enrolled = Enrolment.objects.filter(unit=unit, program_version__program_id=program_id).values("citizen_id")
    return citizens_cared_for_by([unit]).filter(pk__in=enrolled)
