"""The FHIR Careplan resources an access may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from fyren.care.models import Enrolment
from fyren.care.selectors import enrolments_for_reader
from fyren.careplans.selectors import contract_as_seen_by, contracts_for_reader, contracts_holding_plans
from fyren.interop.fhir.bundle import CAREPLAN_STATUS, enrolment_careplan
from fyren.interop.fhir.careplans import contract_entries, organisation
from fyren.programs.models import text_in

from .base import Chain, Provider, found
from .params import Found, ids, ref
from .scope import patient_param, reader


class CarePlanProvider(Provider):
    """Enrolments (``enrolment-N``), patient contracts (``contract-N``) and the
    plans under them (``plan-N``)."""

    type = "CarePlan"
    narrowable = False
    params = ("_id", "patient", "subject", "status", "_lastUpdated")
    last_updated = "changed_at"
    one_per_row = False
    includes = {"CarePlan:patient": "subject", "CarePlan:subject": "subject"}

    def rows(self, access, params):
        enrolments = patient_param(enrolments_for_reader(*reader(access)), params).order_by("pk")
        contracts = _contract_rows(access, params)
        if "_id" in params:
            values = ",".join(params["_id"]).split(",")
            enrolments = enrolments.filter(pk__in=ids([v for v in values if v.startswith("enrolment-")], "enrolment-"))
            plan_contracts = contracts_holding_plans(ids([v for v in values if v.startswith("plan-")], "plan-"))
            contracts = contracts.filter(
                Q(pk__in=ids([v for v in values if v.startswith("contract-")], "contract-")) | Q(pk__in=plan_contracts)
            )
        wanted = set(",".join(params.get("status", [])).split(",")) - {""}
        if wanted:
            enrolments = enrolments.filter(status__in=[k for k, v in CAREPLAN_STATUS.items() if v in wanted])
            if "active" not in wanted:
                contracts = contracts.none()
        return Chain([enrolments, contracts])

    def expand(self, row, access):
        if isinstance(row, Enrolment):
            version = row.program_version
            title = text_in(version.title, version.languages, get_language())
            resource = enrolment_careplan(
                row, title=title, author=organisation(row.unit), patient_ref=ref("patient", row.citizen_id)
            )
            resource_id = f"enrolment-{row.pk}"
            return [Found(resource_id, {"resourceType": "CarePlan", "id": resource_id, **resource}, row.citizen_id)]
        return found(_contract_entries(row, access), self.type, row.citizen_id)


def _contract_rows(access, params) -> QuerySet:
    return patient_param(contracts_for_reader(*reader(access)), params).order_by("pk")


def _contract_entries(contract, access) -> list[dict]:
    reader = None
    if access.context != "patient":
        taking_part = set(contract.participants.filter(status="accepted").values_list("unit_id", flat=True))
        reader = next((u for u in access.units if u.pk in taking_part), None)
    contract = contract_as_seen_by(contract, unit=reader)
    return contract_entries(contract, ref=ref, patient_ref=ref("patient", contract.citizen_id))


class _ContractPartProvider(Provider):
    one_per_row = False
    params = ("_id", "patient", "subject", "_lastUpdated")
    last_updated = "changed_at"

    def rows(self, access, params):
        qs = _contract_rows(access, params)
        if "_id" in params and self.type == "CareTeam":
            qs = qs.filter(pk__in=ids(params["_id"]))
        elif "_id" in params:
            qs = qs.filter(goals__pk__in=ids(params["_id"])).distinct()
        return qs

    def expand(self, contract, access):
        return found(_contract_entries(contract, access), self.type, contract.citizen_id)


class GoalProvider(_ContractPartProvider):
    type = "Goal"
    includes = {"Goal:patient": "subject", "Goal:subject": "subject"}


class CareTeamProvider(_ContractPartProvider):
    type = "CareTeam"
    includes = {"CareTeam:patient": "subject", "CareTeam:subject": "subject"}
