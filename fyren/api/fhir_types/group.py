"""The FHIR Group resources an access may read: one per care unit (its patients
in care) and one per program at a unit (the unit's patients enrolled in it), for
Bulk Data's Group-level ``$export``. A Group says how many, never who."""

from __future__ import annotations

from fyren.care.selectors import citizens_cared_for_by, program_groups_at
from fyren.programs.selectors import program_titles

from .base import Provider
from .params import Found


def unit_group_id(unit_id: int) -> str:
    return f"unit-{unit_id}"


def program_group_id(unit_id: int, program_id: int) -> str:
    return f"unit-{unit_id}-program-{program_id}"


def program_of_group(group_id: str) -> int | None:
    """The program a program Group (``program_group_id``) is of; None for a unit's Group."""
    _unit, marker, program = group_id.partition("-program-")
    return int(program) if marker and program.isdigit() else None


class GroupProvider(Provider):
    type = "Group"
    params = ("_id", "name")
    patient_data = False
    narrowable = False

    def rows(self, access, params):
        if access.context == "patient":
            return []
        units = {u.pk: u for u in access.units}
        programs = program_groups_at(access.units)
        titles = program_titles([program_id for _u, program_id, _n in programs])
        out = []
        for unit in access.units:
            out.append(_group(unit_group_id(unit.pk), unit.name, citizens_cared_for_by([unit]).count(), unit))
        for unit_id, program_id, count in programs:
            unit = units[unit_id]
            name = f"{titles.get(program_id, program_id)} — {unit.name}"
            out.append(_group(program_group_id(unit_id, program_id), name, count, unit))
        wanted = set(",".join(params.get("_id", [])).split(",")) - {""}
        names = [v.lower() for v in params.get("name", [])]
        return [g for g in out if (not wanted or g["id"] in wanted) and all(n in g["name"].lower() for n in names)]

    def expand(self, group, access):
        return [Found(group["id"], group)]


def _group(group_id: str, name: str, count: int, unit) -> dict:
    return {
        "resourceType": "Group",
        "id": group_id,
        "type": "person",
        "actual": True,
        "name": name,
        "quantity": count,
        "managingEntity": {"reference": f"Organization/{unit.pk}", "display": unit.name},
    }
