"""What the FHIR server serves: one provider per resource type. A provider says
which rows an access may see (a citizen their own; a clinician or a record
system the patients in care at their units, and only what those units hold),
applies the search parameters it supports, and turns each row into the same
resources as the journal export bundle, built by the same mapping functions
(``fyren.interop.fhir``) with references of the form ``Type/id``.

The server (``fhir.py``) pages, includes, and writes the access log for every
patient whose data it returns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from fyren.accounts.models import RoleAssignment, User
from fyren.booking.models import Booking, Schedule, Slot
from fyren.care.models import CareRelation, Enrolment
from fyren.careplans.models import Contract
from fyren.careplans.selectors import contract_as_seen_by
from fyren.clinic.models import JournalExport
from fyren.episodes.models import CareRequest
from fyren.episodes.selectors import episodes_with_points
from fyren.instruments.fhir import LOINC, instrument_to_questionnaire, resource_id
from fyren.instruments.library import LIBRARY
from fyren.instruments.models import Instrument
from fyren.interop.fhir.booking import APPOINTMENT_STATUS, appointment_resource, schedule_resource, slot_resource
from fyren.interop.fhir.bundle import (
    CAREPLAN_STATUS,
    communication_resource,
    document_reference,
    enrolment_careplan,
    patient_resource,
    response_entries,
)
from fyren.interop.fhir.careplans import (
    EPISODE_STATUS,
    HSA,
    REQUEST_STATUS,
    contract_entries,
    episode_entries,
    organisation,
    service_request,
)
from fyren.messaging.models import Message
from fyren.organisations.models import CareUnit
from fyren.people.models import Citizen
from fyren.programs.models import text_in
from fyren.questionnaires.models import Response

from .access import Access

# Internal kinds (as the mapping functions name them) → the FHIR type and id.
KINDS: dict[str, tuple[str, str]] = {
    "patient": ("Patient", "{}"),
    "enrolment": ("CarePlan", "enrolment-{}"),
    "contract": ("CarePlan", "contract-{}"),
    "plan": ("CarePlan", "plan-{}"),
    "contract-team": ("CareTeam", "{}"),
    "goal": ("Goal", "{}"),
    "episode": ("EpisodeOfCare", "{}"),
    "care-request": ("ServiceRequest", "{}"),
    "schedule": ("Schedule", "{}"),
    "slot": ("Slot", "{}"),
    "appointment": ("Appointment", "{}"),
    "response": ("QuestionnaireResponse", "{}"),
    "observation": ("Observation", "{}"),
    "message": ("Communication", "{}"),
    "journal-export": ("DocumentReference", "{}"),
}


def ref(kind: str, key) -> str:
    resource_type, pattern = KINDS[kind]
    return f"{resource_type}/{pattern.format(key)}"


class Invalid(ValueError):
    """A search parameter the server cannot use (an OperationOutcome, 400)."""


@dataclass
class Found:
    id: str
    resource: dict
    citizen_id: int | None = None


Params = dict[str, list[str]]


# --- search parameter values ---------------------------------------------------------------

_PREFIXES = ("eq", "ne", "ge", "gt", "le", "lt", "sa", "eb")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$")


def _date_range(value: str) -> tuple[dt.datetime, dt.datetime]:
    """A FHIR date/dateTime of any precision as [start, end) in Swedish time."""
    match = _DATE.match(value)
    if not match:
        raise Invalid(f"'{value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).")
    year, month, day, time = match.groups()
    tz = timezone.get_current_timezone()
    try:
        if time:
            instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if instant.tzinfo is None:
                instant = instant.replace(tzinfo=tz)
            return instant, instant + dt.timedelta(seconds=1)
        if day:
            start = dt.datetime(int(year), int(month), int(day), tzinfo=tz)
            return start, start + dt.timedelta(days=1)
        if month:
            start = dt.datetime(int(year), int(month), 1, tzinfo=tz)
            following = dt.datetime(int(year) + (int(month) == 12), int(month) % 12 + 1, 1, tzinfo=tz)
            return start, following
        return dt.datetime(int(year), 1, 1, tzinfo=tz), dt.datetime(int(year) + 1, 1, 1, tzinfo=tz)
    except ValueError as exc:
        raise Invalid(f"'{value}' is not a valid date.") from exc


def date_q(field: str, values: Sequence[str], *, date_only: bool = False) -> Q:
    """Every value (AND) with its prefix: eq (default), ne, ge, gt, le, lt, sa, eb."""
    query = Q()
    for raw in values:
        prefix = raw[:2] if raw[:2] in _PREFIXES else "eq"
        start, end = _date_range(raw[2:] if raw[:2] in _PREFIXES else raw)
        low: Any = start.date() if date_only else start
        high: Any = end.date() if date_only else end
        query &= {
            "eq": Q(**{f"{field}__gte": low, f"{field}__lt": high}),
            "ne": ~Q(**{f"{field}__gte": low, f"{field}__lt": high}),
            "ge": Q(**{f"{field}__gte": low}),
            "sa": Q(**{f"{field}__gte": high}),
            "gt": Q(**{f"{field}__gte": high}),
            "le": Q(**{f"{field}__lt": high}),
            "eb": Q(**{f"{field}__lt": low}),
            "lt": Q(**{f"{field}__lt": low}),
        }[prefix]
    return query


def _ids(values: Sequence[str], prefix: str = "") -> list[int]:
    """Numeric ids from ``_id`` / reference values (``Patient/7``, ``7``); one list (OR)."""
    found = []
    for value in ",".join(values).split(","):
        value = value.strip().rsplit("/", 1)[-1]
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value.isdigit():
            found.append(int(value))
    return found


def _tokens(values: Sequence[str]) -> list[tuple[str | None, str]]:
    out = []
    for value in ",".join(values).split(","):
        system, bar, code = value.partition("|")
        out.append((system or None, code) if bar else (None, value))
    return [(s, c) for s, c in out if c]


# --- who may see what ---------------------------------------------------------------------


def visible_citizens(access: Access) -> QuerySet:
    if access.context == "patient":
        return Citizen.objects.filter(pk=getattr(access.citizen, "pk", 0))
    in_care = CareRelation.objects.active().filter(unit__in=access.units).values("citizen_id")
    return Citizen.objects.filter(pk__in=in_care)


def _scoped(qs: QuerySet, access: Access, *, citizen: str = "citizen", unit: str | None = "unit") -> QuerySet:
    """Rows of visible citizens, and (for staff and systems) held by their units."""
    qs = qs.filter(**{f"{citizen}__in": visible_citizens(access)})
    if access.context != "patient" and unit is not None:
        qs = qs.filter(**{f"{unit}__in": access.units})
    return qs


def _status_param(qs: QuerySet, params: Params, mapping: dict[str, str], field: str = "status") -> QuerySet:
    """``status`` in FHIR's codes, read back to Fyren's through the mapping the resources are built with."""
    wanted = set(",".join(params.get("status", [])).split(",")) - {""}
    if wanted:
        qs = qs.filter(**{f"{field}__in": [ours for ours, theirs in mapping.items() if theirs in wanted]})
    return qs


def _patient_param(qs: QuerySet, params: Params, field: str = "citizen") -> QuerySet:
    for name in ("patient", "subject"):
        if name in params:
            qs = qs.filter(**{f"{field}_id__in": _ids(params[name], "Patient/")})
    return qs


# --- providers ----------------------------------------------------------------------------


class Provider:
    """One resource type. ``rows`` is a queryset or list in a stable order;
    ``expand`` turns a row into resources (a row may hold several: a response's
    scores, a contract's goals)."""

    type: str = ""
    params: tuple[str, ...] = ()
    patient_data = True
    one_per_row = True
    includes: dict[str, str] = {}  # "_include" value → the reference path in the resource

    def rows(self, access: Access, params: Params) -> QuerySet | list:
        raise NotImplementedError

    def expand(self, row, access: Access) -> list[Found]:
        raise NotImplementedError

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        """Drop what a row expanded to but the search did not ask for (a row may
        hold several resources: a contract's goals, a response's scores)."""
        if "_id" in params:
            found = [f for f in found if f.id in ",".join(params["_id"]).split(",")]
        return found

    def read(self, access: Access, resource_id: str) -> Found | None:
        """The resource, or None when absent or not visible (the same answer)."""
        for row in self.rows(access, {"_id": [resource_id]})[:1]:
            for found in self.expand(row, access):
                if found.id == resource_id:
                    return found
        return None


def _found(entries: list[dict], resource_type: str, citizen_id: int | None) -> list[Found]:
    out = []
    for entry in entries:
        resource = entry["resource"]
        if resource["resourceType"] != resource_type:
            continue
        resource_id = entry["fullUrl"].split("/", 1)[1]
        out.append(Found(resource_id, {"resourceType": resource_type, "id": resource_id, **resource}, citizen_id))
    return out


class PatientProvider(Provider):
    type = "Patient"
    params = ("_id", "identifier", "family", "given", "name", "birthdate", "gender")

    def rows(self, access, params):
        qs = visible_citizens(access).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        for _system, code in _tokens(params.get("identifier", [])):
            qs = qs.filter(identity_number=code.replace("-", ""))
        for value in params.get("family", []):
            qs = qs.filter(family_name__istartswith=value)
        for value in params.get("given", []):
            qs = qs.filter(given_name__istartswith=value)
        for value in params.get("name", []):
            qs = qs.filter(Q(family_name__istartswith=value) | Q(given_name__istartswith=value))
        if "birthdate" in params:
            qs = qs.filter(date_q("birth_date", params["birthdate"], date_only=True))
        for value in params.get("gender", []):
            qs = qs.filter(legal_sex={"female": "F", "male": "M"}.get(value, "?"))
        return qs

    def expand(self, citizen, access):
        return [Found(str(citizen.pk), {"id": str(citizen.pk), **patient_resource(citizen)}, citizen.pk)]


class PractitionerProvider(Provider):
    type = "Practitioner"
    params = ("_id", "identifier", "name")
    patient_data = False

    def rows(self, access, params):
        if access.context == "patient":
            staff = RoleAssignment.objects.active().filter(
                unit__in=CareRelation.objects.filter(citizen=access.citizen).values("unit_id")
            )
        else:
            staff = RoleAssignment.objects.active().filter(unit__in=access.units)
        staff = staff.values("user_id")
        qs = User.objects.filter(pk__in=staff, kind=User.Kind.STAFF, is_active=True).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        for _system, code in _tokens(params.get("identifier", [])):
            qs = qs.filter(hsa_id=code)
        for value in params.get("name", []):
            qs = qs.filter(Q(first_name__istartswith=value) | Q(last_name__istartswith=value))
        return qs

    def expand(self, user, access):
        resource: dict[str, Any] = {
            "resourceType": "Practitioner",
            "id": str(user.pk),
            "active": True,
            "name": [{"family": user.last_name or user.username}],
        }
        if user.first_name:
            resource["name"][0]["given"] = [user.first_name]
        if user.hsa_id:
            resource["identifier"] = [{"system": HSA, "value": user.hsa_id}]
        return [Found(str(user.pk), resource)]


class OrganizationProvider(Provider):
    type = "Organization"
    params = ("_id", "identifier", "name")
    patient_data = False

    def rows(self, access, params):
        qs = CareUnit.objects.active_on().select_related("region").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        for _system, code in _tokens(params.get("identifier", [])):
            qs = qs.filter(hsa_id=code)
        for value in params.get("name", []):
            qs = qs.filter(name__icontains=value)
        return qs

    def expand(self, unit, access):
        resource = {
            "resourceType": "Organization",
            "id": str(unit.pk),
            "active": True,
            "name": unit.name,
            **{"identifier": [organisation(unit)["identifier"]]},
            "partOf": {"display": unit.region.name},
        }
        return [Found(str(unit.pk), resource)]


class QuestionnaireProvider(Provider):
    type = "Questionnaire"
    params = ("_id", "url", "code", "name", "title")
    patient_data = False

    def rows(self, access, params):
        definitions: list[Any] = list(LIBRARY.values())
        seen = set(LIBRARY)
        for instrument in Instrument.objects.order_by("pk"):
            if instrument.code not in seen:
                seen.add(instrument.code)
                definitions.append(instrument.definition)
        out = []
        for definition in definitions:
            resource = instrument_to_questionnaire(definition)
            if "_id" in params and resource["id"] not in ",".join(params["_id"]).split(","):
                continue
            if "url" in params and resource["url"] not in params["url"]:
                continue
            codes = {c.get("code") for c in resource.get("code", [])}
            if any(code not in codes for _s, code in _tokens(params.get("code", []))):
                continue
            title = (resource.get("title") or "").lower() + " " + resource.get("name", "").lower()
            if any(value.lower() not in title for value in params.get("name", []) + params.get("title", [])):
                continue
            out.append(resource)
        return out

    def expand(self, resource, access):
        return [Found(resource["id"], resource)]


def _response_rows(access, params) -> QuerySet:
    qs = Response.objects.filter(status=Response.Status.COMPLETED, citizen__in=visible_citizens(access))
    if access.context != "patient":
        qs = qs.filter(Q(enrolment__unit__in=access.units) | Q(screening_for__unit__in=access.units))
    qs = _patient_param(qs, params)
    return qs.select_related("citizen").order_by("pk")


class QuestionnaireResponseProvider(Provider):
    type = "QuestionnaireResponse"
    params = ("_id", "patient", "subject", "authored", "status", "questionnaire")
    includes = {"QuestionnaireResponse:patient": "subject", "QuestionnaireResponse:subject": "subject"}

    def rows(self, access, params):
        qs = _response_rows(access, params)
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        if "authored" in params:
            qs = qs.filter(date_q("submitted_at", params["authored"]))
        if any(s != "completed" for s in ",".join(params.get("status", [])).split(",") if s):
            qs = qs.none()
        for value in params.get("questionnaire", []):
            code = value.split("|")[0].rstrip("/").rsplit("/", 1)[-1]
            qs = qs.filter(instrument_code__in=[c for c in _instrument_codes() if resource_id(c) == code])
        return qs

    def expand(self, response, access):
        entries = response_entries(
            response, ref=ref, patient_ref=ref("patient", response.citizen_id), careplan_ref=_plan_ref(response)
        )
        return _found(entries[:1], self.type, response.citizen_id)


def _plan_ref(row) -> str | None:
    return ref("enrolment", row.enrolment_id) if row.enrolment_id else None


def _instrument_codes() -> set[str]:
    return {str(code) for code in LIBRARY} | set(Instrument.objects.values_list("code", flat=True))


def _codes_with_loinc(code: str) -> set[str]:
    """Instrument codes one of whose scores carries the LOINC ``code``."""
    library: dict[str, Any] = dict(LIBRARY)  # type: ignore[arg-type]
    found = {c for c, d in library.items() if code in ((d.get("scoring") or {}).get("loinc") or {}).values()}
    for instrument in Instrument.objects.only("code", "definition"):
        if code in ((instrument.definition.get("scoring") or {}).get("loinc") or {}).values():
            found.add(instrument.code)
    return found


class ObservationProvider(Provider):
    """The scores of completed questionnaires (category survey), each derived
    from its QuestionnaireResponse. A row is a response; a page stops before it
    would hold more than ``_count`` Observations."""

    type = "Observation"
    params = ("_id", "patient", "subject", "date", "code", "category", "status")
    one_per_row = False
    includes = {
        "Observation:patient": "subject",
        "Observation:subject": "subject",
        "Observation:derived-from": "derivedFrom",
    }

    def rows(self, access, params):
        qs = _response_rows(access, params).exclude(scores={})
        if "_id" in params:
            ids = [v.split("-")[1] for v in ",".join(params["_id"]).split(",") if v.startswith("obs-")]
            qs = qs.filter(pk__in=[int(i) for i in ids if i.isdigit()])
        if "date" in params:
            qs = qs.filter(date_q("submitted_at", params["date"]))
        for value in ",".join(params.get("category", [])).split(","):
            if value and value.split("|")[-1] != "survey":
                qs = qs.none()
        for value in ",".join(params.get("status", [])).split(","):
            if value and value != "final":
                qs = qs.none()
        codes = [code for system, code in _tokens(params.get("code", [])) if system in (None, LOINC)]
        if "code" in params:
            qs = qs.filter(instrument_code__in=set().union(*(_codes_with_loinc(c) for c in codes)))
        return qs

    def expand(self, response, access):
        entries = response_entries(
            response, ref=ref, patient_ref=ref("patient", response.citizen_id), careplan_ref=_plan_ref(response)
        )
        return _found(entries[1:], self.type, response.citizen_id)

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        codes = {code for system, code in _tokens(params.get("code", [])) if system in (None, LOINC)}
        if "code" in params:
            found = [f for f in found if {c["code"] for c in f.resource["code"].get("coding", [])} & codes]
        return super().filter_expanded(found, params)


class CarePlanProvider(Provider):
    """Enrolments (``enrolment-N``), patient contracts (``contract-N``) and the
    plans under them (``plan-N``)."""

    type = "CarePlan"
    params = ("_id", "patient", "subject", "status")
    one_per_row = False
    includes = {"CarePlan:patient": "subject", "CarePlan:subject": "subject"}

    def rows(self, access, params):
        enrolments = _scoped(Enrolment.objects.all(), access).select_related("program_version", "unit", "citizen")
        enrolments = _patient_param(enrolments, params).order_by("pk")
        contracts = _contract_rows(access, params)
        if "_id" in params:
            values = ",".join(params["_id"]).split(",")
            enrolments = enrolments.filter(pk__in=_ids([v for v in values if v.startswith("enrolment-")], "enrolment-"))
            plan_contracts = Contract.objects.filter(
                plans__pk__in=_ids([v for v in values if v.startswith("plan-")], "plan-")
            ).values("pk")
            contracts = contracts.filter(
                Q(pk__in=_ids([v for v in values if v.startswith("contract-")], "contract-")) | Q(pk__in=plan_contracts)
            )
        wanted = set(",".join(params.get("status", [])).split(",")) - {""}
        if wanted:
            enrolments = enrolments.filter(status__in=[k for k, v in CAREPLAN_STATUS.items() if v in wanted])
            if "active" not in wanted:
                contracts = contracts.none()
        return _Chain([enrolments, contracts])

    def expand(self, row, access):
        if isinstance(row, Enrolment):
            version = row.program_version
            title = text_in(version.title, version.languages, get_language())
            resource = enrolment_careplan(
                row, title=title, author=organisation(row.unit), patient_ref=ref("patient", row.citizen_id)
            )
            resource_id = f"enrolment-{row.pk}"
            return [Found(resource_id, {"resourceType": "CarePlan", "id": resource_id, **resource}, row.citizen_id)]
        return _found(_contract_entries(row, access), self.type, row.citizen_id)


def _contract_rows(access, params) -> QuerySet:
    qs = Contract.objects.filter(citizen__in=visible_citizens(access))
    if access.context != "patient":
        qs = qs.filter(participants__unit__in=access.units, participants__status="accepted").distinct()
    return _patient_param(qs, params).order_by("pk")


def _contract_entries(contract, access) -> list[dict]:
    reader = None
    if access.context != "patient":
        taking_part = set(contract.participants.filter(status="accepted").values_list("unit_id", flat=True))
        reader = next((u for u in access.units if u.pk in taking_part), None)
    contract = contract_as_seen_by(contract, unit=reader)
    return contract_entries(contract, ref=ref, patient_ref=ref("patient", contract.citizen_id))


class _ContractPartProvider(Provider):
    one_per_row = False
    params = ("_id", "patient", "subject")

    def rows(self, access, params):
        qs = _contract_rows(access, params)
        if "_id" in params and self.type == "CareTeam":
            qs = qs.filter(pk__in=_ids(params["_id"]))
        elif "_id" in params:
            qs = qs.filter(goals__pk__in=_ids(params["_id"])).distinct()
        return qs

    def expand(self, contract, access):
        return _found(_contract_entries(contract, access), self.type, contract.citizen_id)


class GoalProvider(_ContractPartProvider):
    type = "Goal"
    includes = {"Goal:patient": "subject", "Goal:subject": "subject"}


class CareTeamProvider(_ContractPartProvider):
    type = "CareTeam"
    includes = {"CareTeam:patient": "subject", "CareTeam:subject": "subject"}


class EpisodeOfCareProvider(Provider):
    type = "EpisodeOfCare"
    params = ("_id", "patient", "status", "date")
    includes = {"EpisodeOfCare:patient": "patient"}

    def rows(self, access, params):
        qs = _patient_param(_scoped(episodes_with_points(), access), params).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        qs = _status_param(qs, params, EPISODE_STATUS)
        if "date" in params:
            qs = qs.filter(date_q("opened_at", params["date"]))
        return qs

    def expand(self, episode, access):
        entries = episode_entries(episode, ref=ref, patient_ref=ref("patient", episode.citizen_id))
        return _found(entries, self.type, episode.citizen_id)


class ServiceRequestProvider(Provider):
    """Care requests between units: both the sending and the receiving unit see them."""

    type = "ServiceRequest"
    params = ("_id", "patient", "subject", "status", "authored")
    includes = {"ServiceRequest:patient": "subject", "ServiceRequest:subject": "subject"}

    def rows(self, access, params):
        qs = CareRequest.objects.select_related("from_unit", "to_unit", "citizen")
        if access.context == "patient":
            qs = qs.filter(citizen=access.citizen)
        else:
            qs = qs.filter(Q(from_unit__in=access.units) | Q(to_unit__in=access.units))
        qs = _patient_param(qs, params).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        qs = _status_param(qs, params, REQUEST_STATUS)
        if "authored" in params:
            qs = qs.filter(date_q("sent_at", params["authored"]))
        return qs

    def expand(self, request, access):
        resource = service_request(request, patient_ref=ref("patient", request.citizen_id))
        return [Found(str(request.pk), {"id": str(request.pk), **resource}, request.citizen_id)]


def _booking_rows(access, params) -> QuerySet:
    qs = _scoped(Booking.objects.select_related("slot__schedule__unit", "unit", "citizen"), access)
    return _patient_param(qs, params)


class ScheduleProvider(Provider):
    type = "Schedule"
    params = ("_id", "active")
    patient_data = False

    def rows(self, access, params):
        if access.context == "patient":
            qs = Schedule.objects.filter(slots__bookings__citizen=access.citizen).distinct()
        else:
            qs = Schedule.objects.filter(unit__in=access.units)
        qs = qs.select_related("unit").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        for value in params.get("active", []):
            qs = qs.filter(active=value == "true")
        return qs

    def expand(self, schedule, access):
        return [Found(str(schedule.pk), {"id": str(schedule.pk), **schedule_resource(schedule)})]


class SlotProvider(Provider):
    """Times: free ones are what an app may offer; a booked one says only busy."""

    type = "Slot"
    params = ("_id", "schedule", "start", "status")
    patient_data = False
    one_per_row = False  # the status is read from the holding booking, after the query
    includes = {"Slot:schedule": "schedule"}

    def rows(self, access, params):
        if access.context == "patient":
            qs = Slot.objects.filter(bookings__citizen=access.citizen).distinct()
        else:
            qs = Slot.objects.filter(schedule__unit__in=access.units)
        qs = qs.select_related("schedule").prefetch_related("bookings").order_by("starts_at", "pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        if "schedule" in params:
            qs = qs.filter(schedule_id__in=_ids(params["schedule"], "Schedule/"))
        if "start" in params:
            qs = qs.filter(date_q("starts_at", params["start"]))
        return qs

    def expand(self, slot, access):
        holding = next((b for b in slot.bookings.all() if b.status in Booking.HOLDING), None)
        resource = slot_resource(slot, holding, ref=ref)
        return [Found(str(slot.pk), {"resourceType": "Slot", "id": str(slot.pk), **resource})]

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        wanted = set(",".join(params.get("status", [])).split(",")) - {""}
        found = super().filter_expanded(found, params)
        return [f for f in found if f.resource["status"] in wanted] if wanted else found


class AppointmentProvider(Provider):
    type = "Appointment"
    params = ("_id", "patient", "actor", "date", "status")
    includes = {"Appointment:patient": "participant.actor", "Appointment:slot": "slot"}

    def rows(self, access, params):
        qs = _booking_rows(access, params).order_by("slot__starts_at", "pk")
        if "actor" in params:
            qs = qs.filter(citizen_id__in=_ids(params["actor"], "Patient/"))
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        if "date" in params:
            qs = qs.filter(date_q("slot__starts_at", params["date"]))
        qs = _status_param(qs, params, APPOINTMENT_STATUS)
        return qs

    def expand(self, booking, access):
        resource = appointment_resource(booking, ref=ref, patient_ref=ref("patient", booking.citizen_id))
        resource = {"resourceType": "Appointment", "id": str(booking.pk), **resource}
        return [Found(str(booking.pk), resource, booking.citizen_id)]


class CommunicationProvider(Provider):
    type = "Communication"
    params = ("_id", "patient", "subject", "sent")
    includes = {"Communication:patient": "subject", "Communication:subject": "subject"}

    def rows(self, access, params):
        qs = Message.objects.filter(status=Message.Status.SENT).select_related("thread__unit", "sender")
        qs = _scoped(qs, access, citizen="thread__citizen", unit="thread__unit")
        qs = _patient_param(qs, params, "thread__citizen").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        if "sent" in params:
            qs = qs.filter(date_q("sent_at", params["sent"]))
        return qs

    def expand(self, message, access):
        thread = message.thread
        careplan = ref("enrolment", thread.enrolment_id) if thread.enrolment_id else None
        resource = communication_resource(
            message, patient_ref=ref("patient", thread.citizen_id), careplan_ref=careplan, unit=thread.unit
        )
        return [Found(str(message.pk), {"id": str(message.pk), **resource}, thread.citizen_id)]


class DocumentReferenceProvider(Provider):
    type = "DocumentReference"
    params = ("_id", "patient", "subject", "date")
    includes = {"DocumentReference:patient": "subject", "DocumentReference:subject": "subject"}

    def rows(self, access, params):
        qs = JournalExport.objects.select_related("enrolment", "unit")
        qs = _scoped(qs, access, citizen="enrolment__citizen", unit="unit")
        qs = _patient_param(qs, params, "enrolment__citizen").order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=_ids(params["_id"]))
        if "date" in params:
            qs = qs.filter(date_q("exported_at", params["date"]))
        return qs

    def expand(self, export, access):
        citizen_id = export.enrolment.citizen_id
        resource = document_reference(
            export,
            note=export.note,
            lang=get_language() or "sv",
            patient_ref=ref("patient", citizen_id),
            careplan_ref=ref("enrolment", export.enrolment_id),
            unit=export.unit,
        )
        return [Found(str(export.pk), {"id": str(export.pk), **resource}, citizen_id)]


class _Chain:
    """Several querysets read as one sequence (sliced and counted across)."""

    def __init__(self, parts: list[QuerySet]):
        self.parts = parts

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        out: list = []
        for part in self.parts:
            size = part.count()
            if start >= size:
                start -= size
                if stop is not None:
                    stop -= size
                continue
            end = None if stop is None else min(stop, size)
            out.extend(part[start:end])
            if stop is not None:
                stop -= size
                if stop <= 0:
                    break
            start = 0
        return out


PROVIDERS: dict[str, Provider] = {
    p.type: p
    for p in (
        PatientProvider(),
        PractitionerProvider(),
        OrganizationProvider(),
        QuestionnaireProvider(),
        QuestionnaireResponseProvider(),
        ObservationProvider(),
        CarePlanProvider(),
        GoalProvider(),
        CareTeamProvider(),
        EpisodeOfCareProvider(),
        ServiceRequestProvider(),
        ScheduleProvider(),
        SlotProvider(),
        AppointmentProvider(),
        CommunicationProvider(),
        DocumentReferenceProvider(),
    )
}
