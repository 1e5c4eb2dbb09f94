import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from fyren.accounts.models import RoleAssignment, User
from fyren.accounts.permissions import regions_where
from fyren.accounts.roles import Role
from fyren.accounts.services import region_role_assign, staff_user_create
from fyren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_user_create_validates_the_hsa_id_and_audits(world):
    user = staff_user_create(
        actor=world.access_admin,
        username="new",
        given_name="N",
        family_name="Ew",
        hsa_id="SE2321000016-X9",
        password="a long enough password",
    )
    assert user.is_staff_member and user.check_password("a long enough password")
    assert AuditEvent.objects.filter(action="staff_user.create", object_id=str(user.pk)).exists()
    with pytest.raises(ValidationError):
        staff_user_create(actor=None, username="bad", given_name="B", family_name="Ad", hsa_id="SE1-1")
    assert not User.objects.filter(username="bad").exists()


def test_a_staff_user_without_password_can_only_use_the_idp(world):
    user = staff_user_create(actor=None, username="idp", given_name="I", family_name="Dp")
    assert not user.has_usable_password()


def test_only_a_care_provider_admin_of_the_region_or_an_operator_names_another(world, make):
    newcomer = make.staff("newcomer")
    with pytest.raises(PermissionDenied):
        region_role_assign(actor=world.access_admin, user=newcomer, region=world.region)
    region_role_assign(actor=world.provider_admin, user=newcomer, region=world.region)
    assert list(regions_where(newcomer, Role.CARE_PROVIDER_ADMIN)) == [world.region]
    with pytest.raises(PermissionDenied):
        region_role_assign(actor=world.provider_admin, user=newcomer, region=world.other_region)


def test_the_bootstrap_command_creates_a_care_provider_admin(world, capsys):
    call_command(
        "create_staff_user",
        "--username",
        "boss",
        "--given-name",
        "B",
        "--family-name",
        "Oss",
        "--care-provider-admin",
        world.region.organisation_number,
    )
    out = capsys.readouterr().out
    assert "One-time password:" in out
    assert RoleAssignment.objects.active().filter(user__username="boss", role=Role.CARE_PROVIDER_ADMIN).exists()
    with pytest.raises(CommandError):
        call_command(
            "create_staff_user",
            "--username",
            "x",
            "--given-name",
            "X",
            "--family-name",
            "Y",
            "--care-provider-admin",
            "000000-0000",
        )
