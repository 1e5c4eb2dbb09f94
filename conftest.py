"""Shared test personas: citizens, a clinician, an access admin, a log reviewer
and an outsider clinician at another region's unit."""

import datetime as dt
from binascii import unhexlify

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fyren.accounts.models import Licence, RoleAssignment, User
from fyren.accounts.roles import Role
from fyren.care.models import CareRelation
from fyren.demo.identities import hsa_id, org_number, personnummer
from fyren.organisations.models import CareUnit, Region
from fyren.people.models import Citizen

PASSWORD = "correct horse battery staple"


class Make:
    """Small builders for test data (kept explicit rather than hidden in factories)."""

    _serial = 100

    def region(self, nine="232100009", name="Region Test"):
        return Region.objects.get_or_create(organisation_number=org_number(nine), defaults={"name": name})[0]

    def unit(self, region=None, suffix="U1", name="Test unit", **kwargs):
        region = region or self.region()
        return CareUnit.objects.create(
            name=name,
            hsa_id=hsa_id(region.organisation_number, suffix),
            region=region,
            valid_from=kwargs.pop("valid_from", dt.date(2020, 1, 1)),
            **kwargs,
        )

    def staff(self, username, *roles, password=PASSWORD, totp=True, hsa=None):
        user = User.objects.create(
            username=username, first_name=username.title(), last_name="Staff", kind=User.Kind.STAFF, hsa_id=hsa
        )
        user.set_password(password)
        user.save()
        if totp:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        for role, scope in roles:
            if isinstance(scope, Region):
                RoleAssignment.objects.create(user=user, role=role, region=scope)
            else:
                RoleAssignment.objects.create(user=user, role=role, unit=scope)
        return user

    def citizen(self, given="Test", family="Citizen", birth=dt.date(1985, 5, 17), **kwargs):
        Make._serial += 1
        number = personnummer(birth, f"{Make._serial % 1000:03d}")
        user = User.objects.create(username=f"c{number}", kind=User.Kind.CITIZEN, first_name=given, last_name=family)
        return Citizen.objects.create(
            identity_number=number,
            identity_kind=Citizen.Kind.PERSONAL,
            birth_date=birth,
            legal_sex="F",
            given_name=given,
            family_name=family,
            user=user,
            **kwargs,
        )

    def care_relation(self, citizen, unit):
        return CareRelation.objects.create(citizen=citizen, unit=unit)


def current_totp(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(unhexlify(device.key), t0=device.t0, step=device.step, digits=device.digits):06d}"


@pytest.fixture
def make():
    return Make()


@pytest.fixture
def world(db, make):
    """Two regions; a clinician, access admin and log reviewer at unit A; an
    outsider clinician at unit B of another region; a patient of unit A and a
    citizen with no relation to it."""

    class World:
        pass

    w = World()
    w.region = make.region("232100009", "Region Test")
    w.other_region = make.region("232100017", "Region Other")
    w.unit = make.unit(w.region, "A1", "Unit A")
    w.other_unit = make.unit(w.other_region, "B1", "Unit B")
    w.clinician = make.staff("clinician", (Role.CLINICIAN, w.unit))
    # A licensed psychologist: her visits count as the care guarantee's medical assessment.
    Licence.objects.create(user=w.clinician, profession="PS", number="840123", issued_on=dt.date(2010, 6, 1))
    w.access_admin = make.staff("accessadmin", (Role.ACCESS_ADMIN, w.unit))
    w.log_reviewer = make.staff("reviewer", (Role.LOG_REVIEWER, w.unit))
    w.provider_admin = make.staff("provideradmin", (Role.CARE_PROVIDER_ADMIN, w.region))
    w.outsider = make.staff(
        "outsider", (Role.CLINICIAN, w.other_unit), (Role.ACCESS_ADMIN, w.other_unit), (Role.LOG_REVIEWER, w.other_unit)
    )
    w.patient = make.citizen("Pia", "Patient")
    w.stranger = make.citizen("Sven", "Stranger", birth=dt.date(1970, 1, 2))
    make.care_relation(w.patient, w.unit)
    return w


def login_staff(client, user):
    """Log a staff user in through the real form (password + TOTP)."""
    response = client.post(
        "/account/login/", {"username": user.username, "password": PASSWORD, "otp_token": current_totp(user)}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def login_citizen(client, citizen):
    client.force_login(citizen.user)
    return client


@pytest.fixture
def today():
    return timezone.localdate()


def force_login_staff(client, user):
    """Log in without the form, marking the session as verified by TOTP."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_shared_trees_between_tests():
    """Each test starts without the process's shared published trees (a test may
    change a published version's rows behind the services' back)."""
    from fyren.programs.tree import published_trees_clear

    published_trees_clear()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run at once in tests (the worker is not running)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FYREN_SMS_BACKEND = "fyren.notifications.sms.MemorySmsBackend"
    from fyren.notifications import sms

    sms.outbox.clear()
    sms.MemorySmsBackend.fail_next = 0
