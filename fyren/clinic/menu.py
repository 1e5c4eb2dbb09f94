"""What a role may open at a unit, in groups: the one source for the staff
start page (through ``accounts.hooks``) and the workspace's menu bar. Each
entry names the roles its view lets in (``tests/test_unit_menu.py`` opens
every entry as each role and checks that the menu and the view agree)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fyren.accounts.roles import Role

from .selectors import WORKSPACE_ROLES

CLINICIAN, ADMIN = Role.CLINICIAN, Role.ENROLMENT_ADMIN
WORKSPACE = frozenset(WORKSPACE_ROLES)


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    roles: frozenset
    per_unit: bool = True  # the address names the unit


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    entries: tuple[Entry, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "patients",
        _("Patients"),
        (
            Entry("clinic:dashboard", _("Dashboard"), frozenset({CLINICIAN})),
            Entry("clinic:patient_list", _("Patients"), frozenset({CLINICIAN})),
            Entry("clinic:inbox", _("Messages waiting"), WORKSPACE),
            Entry("clinic:flags", _("Flags"), WORKSPACE),
            Entry("clinic:care_relation_new", _("Register a patient"), WORKSPACE),
            Entry("clinic:emergency_access", _("Emergency access"), frozenset({CLINICIAN})),
        ),
    ),
    Group(
        "visits",
        _("Visits"),
        (
            Entry("clinic:calendar", _("Calendar"), WORKSPACE),
            Entry("clinic:waiting_room", _("Waiting room"), WORKSPACE),
            Entry("clinic:schedules", _("Times and schedules"), WORKSPACE),
            Entry("clinic:guarantee", _("Care guarantee"), WORKSPACE),
            Entry("clinic:care_requests", _("Care requests"), WORKSPACE),
        ),
    ),
    Group(
        "unit",
        _("The unit"),
        (
            Entry("clinic:handovers", _("Handovers"), WORKSPACE),
            Entry("clinic:contract_invitations", _("Contract invitations"), WORKSPACE),
            Entry("clinic:absences", _("Absence"), WORKSPACE),
            Entry("clinic:unit_settings", _("Unit settings"), frozenset({ADMIN})),
            Entry("clinic:fixed_contact_routine", _("Fixed care contact routine"), frozenset({ADMIN})),
            Entry("accounts:unit_roles", _("Roles at the unit"), frozenset({Role.ACCESS_ADMIN})),
            Entry("accounts:unit_licences", _("Licences"), frozenset({Role.ACCESS_ADMIN})),
        ),
    ),
    Group(
        "follow_up",
        _("Follow-up"),
        (
            Entry("episodes:lead_times", _("Lead times in the care pathways"), frozenset({Role.ANALYST}), False),
            Entry(
                "waiting_times:guarantee",
                _("The care guarantee per unit and month"),
                frozenset({Role.ANALYST}),
                False,
            ),
            Entry("reporting:national", _("The national follow-up of treatments"), frozenset({Role.ANALYST}), False),
            Entry("reporting:unit_results", _("The unit's results"), frozenset({Role.UNIT_MANAGER})),
            Entry("reporting:home", _("Follow-up and reporting: imports"), frozenset({Role.ANALYST}), False),
            Entry("region:log_review", _("Log review"), frozenset({Role.LOG_REVIEWER}), False),
        ),
    ),
    Group(
        "programs",
        _("Programs"),
        (
            Entry("programs:design_home", _("Design tool"), frozenset({Role.DESIGNER}), False),
            Entry("programs:review_queue", _("Review and publishing"), frozenset({Role.PUBLISHER}), False),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    url_name: str


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str
    links: tuple[Link, ...]


def unit_menu(unit, roles, *, workspace_only: bool = False) -> list[MenuGroup]:
    """The groups of links the roles open at the unit (empty groups left out);
    ``workspace_only``: only the unit's own pages (the workspace's menu bar)."""
    roles = set(roles)
    groups = []
    for group in GROUPS:
        links = tuple(
            Link(reverse(e.url_name, args=[unit.pk]) if e.per_unit else reverse(e.url_name), str(e.label), e.url_name)
            for e in group.entries
            if e.roles & roles and (e.per_unit or not workspace_only)
        )
        if links:
            groups.append(MenuGroup(group.key, str(group.label), links))
    return groups
