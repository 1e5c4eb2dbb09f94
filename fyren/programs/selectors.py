"""Reads of program data (no patient data, so no access-log entries)."""

from __future__ import annotations

from fyren.organisations.models import CareUnit

from .models import Program, ProgramVersion, text_in


def self_enrolment_unit_names(program: Program) -> list[str]:
    """The units, valid today, where citizens may start ``program`` on their own."""
    return list(
        CareUnit.objects.active_on()
        .filter(programs__program=program, programs__active=True, programs__self_enrolment=True)
        .order_by("name")
        .values_list("name", flat=True)
    )


def measurement_label(element) -> str:
    """A measurement element's label with its unit, in the program's first language
    (the version's order: a JSON object's key order is not kept by every database)."""
    content = element.content or {}
    text = text_in(content.get("label"), element.version.languages)
    unit = content.get("unit") or ""
    return f"{text} ({unit})" if unit else text


def program_titles(program_ids) -> dict[int, str]:
    """Each program's title, from its newest version (no patient data)."""
    titles: dict[int, str] = {}
    versions = ProgramVersion.objects.filter(program_id__in=list(program_ids)).order_by("program_id", "-number")
    for version in versions:
        titles.setdefault(version.program_id, version.display_title)
    return titles
