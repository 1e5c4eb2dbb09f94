import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import force_login_staff
from fyren.accounts.models import RoleAssignment
from fyren.accounts.permissions import has_role
from fyren.accounts.roles import Role
from fyren.accounts.services import role_assign, role_remove
from fyren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_access_admin_gives_a_role_at_their_unit_and_it_is_audited(world, make):
    newcomer = make.staff("newcomer")
    role_assign(actor=world.access_admin, user=newcomer, role=Role.CLINICIAN, unit=world.unit)
    assert has_role(newcomer, Role.CLINICIAN, world.unit)
    event = AuditEvent.objects.get(action="role.assign")
    assert event.actor == world.access_admin and event.unit == world.unit
    assert event.data == {"user": "newcomer", "role": "clinician", "unit": world.unit.hsa_id}


def test_an_access_admin_removes_a_role_and_the_history_is_kept(world):
    assignment = RoleAssignment.objects.get(user=world.clinician, unit=world.unit)
    role_remove(actor=world.access_admin, assignment=assignment)
    assert not has_role(world.clinician, Role.CLINICIAN, world.unit)
    assignment.refresh_from_db()
    assert assignment.removed_by == world.access_admin and assignment.removed_at is not None
    assert AuditEvent.objects.filter(action="role.remove").count() == 1


def test_an_access_admin_of_another_unit_cannot_give_roles_here(world, make):
    with pytest.raises(PermissionDenied):
        role_assign(actor=world.outsider, user=make.staff("x"), role=Role.CLINICIAN, unit=world.unit)
    with pytest.raises(PermissionDenied):
        role_remove(actor=world.outsider, assignment=RoleAssignment.objects.get(user=world.clinician))
    assert not AuditEvent.objects.exists()


def test_a_clinician_cannot_give_roles(world, make):
    with pytest.raises(PermissionDenied):
        role_assign(actor=world.clinician, user=make.staff("x"), role=Role.CLINICIAN, unit=world.unit)


def test_the_care_provider_admin_gives_roles_at_every_unit_of_the_region(world, make):
    role_assign(actor=world.provider_admin, user=make.staff("x"), role=Role.ACCESS_ADMIN, unit=world.unit)
    with pytest.raises(PermissionDenied):
        role_assign(actor=world.provider_admin, user=make.staff("y"), role=Role.CLINICIAN, unit=world.other_unit)


def test_the_same_role_twice_is_refused_with_a_message(world):
    with pytest.raises(ValidationError):
        role_assign(actor=world.access_admin, user=world.clinician, role=Role.CLINICIAN, unit=world.unit)


def test_region_roles_and_citizens_cannot_be_given_at_a_unit(world):
    with pytest.raises(ValidationError):
        role_assign(actor=world.access_admin, user=world.clinician, role=Role.CARE_PROVIDER_ADMIN, unit=world.unit)
    with pytest.raises(ValidationError):
        role_assign(actor=world.access_admin, user=world.patient.user, role=Role.CLINICIAN, unit=world.unit)


def test_the_roles_page_gives_and_removes_roles(client, world, make):
    make.staff("newcomer", hsa="SE2321000016-N1")
    force_login_staff(client, world.access_admin)
    url = f"/account/units/{world.unit.pk}/roles/"
    assert "Clinician Staff" in client.get(url).content.decode()
    response = client.post(url, {"user": "SE2321000016-N1", "role": "designer"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__username="newcomer", role="designer")
    response = client.post(f"{url}{assignment.pk}/remove/")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.removed_at is not None


def test_the_roles_page_keeps_what_was_typed_on_an_error(client, world):
    force_login_staff(client, world.access_admin)
    response = client.post(f"/account/units/{world.unit.pk}/roles/", {"user": "nobody-here", "role": "designer"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="nobody-here"' in html
    assert RoleAssignment.objects.filter(role="designer").count() == 0
