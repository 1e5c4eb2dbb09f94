"""The unit's menu (clinic/menu.py) is the one source of what a role may open at
a unit: every entry opens for the roles it names and is not found for the
others; the start page and the workspace's menu bar show the same links."""

import pytest

from conftest import force_login_staff
from fyren.accounts.roles import Role
from fyren.clinic.menu import GROUPS, unit_menu

pytestmark = pytest.mark.django_db

ROLES = (Role.CLINICIAN, Role.ENROLMENT_ADMIN, Role.ACCESS_ADMIN, Role.ANALYST, Role.LOG_REVIEWER)


@pytest.mark.parametrize("role", ROLES)
def test_every_entry_opens_for_the_roles_it_names_and_no_other(client, world, make, role):
    user = make.staff(f"only-{role}", (role, world.unit))
    force_login_staff(client, user)
    for group in GROUPS:
        for entry in group.entries:
            if not entry.per_unit and role not in entry.roles:
                continue  # a page of its own, not of the unit: not in the menu for this role
            url = next(
                link.url
                for g in unit_menu(world.unit, entry.roles)
                for link in g.links
                if link.url_name == entry.url_name
            )
            status = client.get(url).status_code
            assert status == (200 if role in entry.roles else 404), (entry.url_name, role, status)


def test_the_start_page_and_the_menu_bar_list_the_same_unit_pages(client, world, make):
    both = make.staff("both", (Role.CLINICIAN, world.unit), (Role.ENROLMENT_ADMIN, world.unit))
    force_login_staff(client, both)
    start = client.get("/account/start/").content.decode()
    bar = client.get(f"/clinic/{world.unit.pk}/").content.decode()
    bar = bar[bar.index('<nav class="workspace-nav"') : bar.index("</nav>", bar.index('<nav class="workspace-nav"'))]
    for group in unit_menu(world.unit, {Role.CLINICIAN, Role.ENROLMENT_ADMIN}, workspace_only=True):
        for link in group.links:
            assert f'href="{link.url}"' in start and f'href="{link.url}"' in bar, link.url_name
    for name in ("Väntrum", "Vårdgaranti", "Enhetens inställningar"):
        assert name in start
    assert 'aria-current="page"' in bar


def test_reports_open_with_the_figures_for_their_defaults(client, world, make):
    """A report's form is filled in with defaults; the page shows their figures at once."""
    from fyren.episodes import services as episodes

    episodes.pathway_save(actor=world.provider_admin, region=world.region, name="SVF Depression", area="depression")
    analyst = make.staff("analyst", (Role.ANALYST, world.unit))
    force_login_staff(client, analyst)
    guarantee = client.get("/care-guarantee/")
    assert guarantee.status_code == 200 and guarantee.context["rows"] is not None
    lead_times = client.get("/pathways/lead-times/")
    assert lead_times.status_code == 200 and lead_times.context["rows"] is not None
    national = client.get("/reporting/national/")
    assert national.status_code == 200 and national.context.get("tables")
    outcomes = client.get("/reporting/programs/")
    assert outcomes.status_code == 200 and outcomes.context.get("outcomes") is not None
