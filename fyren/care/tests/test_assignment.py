"""Nobody is left without someone responsible: how a unit names the
responsible clinician of a self-enrolled citizen, and what the citizen is told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.audit.models import AuditEvent
from fyren.care.assignment import self_enrolment_policy_set
from fyren.care.models import Enrolment, SelfEnrolmentPolicy
from fyren.care.team_services import enrolment_clinicians_set
from fyren.care.tests.test_self_enrolment import offers  # noqa: F401 - fixture
from fyren.flags.models import Flag
from fyren.lib.workdays import add_working_days, is_working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_staff(offers, make):  # noqa: F811
    offers.admin = make.staff("enroladmin", (Role.ENROLMENT_ADMIN, offers.unit))
    offers.second = make.staff("second", (Role.CLINICIAN, offers.unit))
    return offers


def _self_enrol(client, world, citizen):
    login_citizen(client, citizen)
    client.post(f"/me/enrolments/open/{world.offers['open'].pk}/")
    return Enrolment.objects.get(citizen=citizen)


def test_by_default_the_enrolment_admin_names_one_within_two_working_days_with_a_flag(client, unit_staff):
    enrolment = _self_enrol(client, unit_staff, unit_staff.stranger)
    assert list(enrolment.clinicians.all()) == []
    assert enrolment.responsible_due_on == add_working_days(dt.date.today(), 2)
    flag = Flag.objects.get(enrolment=enrolment, kind=Flag.Kind.UNASSIGNED)
    assert flag.is_open and not flag.urgent
    plan = client.get(f"/me/enrolments/{enrolment.pk}/").content.decode()
    assert "utser en ansvarig behandlare senast" in plan
    assert "Meddelanden besvaras inom 48 timmar" in plan

    enrolment_clinicians_set(actor=unit_staff.admin, enrolment=enrolment, clinicians=[unit_staff.second])
    flag.refresh_from_db()
    assert not flag.is_open and "Second" in flag.acknowledgement_note
    plan = client.get(f"/me/enrolments/{enrolment.pk}/").content.decode()
    assert "ansvarig för ditt program" in plan and unit_staff.second.display_name in plan


def test_a_named_clinician_is_responsible_at_once(client, unit_staff):
    self_enrolment_policy_set(
        actor=unit_staff.admin, unit=unit_staff.unit, rule="named", clinician=unit_staff.clinician
    )
    enrolment = _self_enrol(client, unit_staff, unit_staff.stranger)
    assert list(enrolment.clinicians.all()) == [unit_staff.clinician]
    assert not Flag.objects.filter(kind=Flag.Kind.UNASSIGNED).exists()
    assert unit_staff.clinician.display_name in client.get(f"/me/enrolments/{enrolment.pk}/").content.decode()


def test_round_robin_takes_the_clinicians_in_turn(client, unit_staff, make):
    self_enrolment_policy_set(actor=unit_staff.admin, unit=unit_staff.unit, rule="round_robin")
    citizens = [make.citizen(given=f"C{n}", birth=dt.date(1990, 1, n + 1)) for n in range(3)]
    chosen = [_self_enrol(client, unit_staff, c).clinicians.get() for c in citizens]
    assert chosen[0] != chosen[1] and chosen[2] == chosen[0]
    assert {c.pk for c in chosen} == {unit_staff.clinician.pk, unit_staff.second.pk}


def test_a_named_clinician_who_left_falls_back_to_the_admin(client, unit_staff):
    self_enrolment_policy_set(actor=unit_staff.admin, unit=unit_staff.unit, rule="named", clinician=unit_staff.second)
    unit_staff.second.roles.update(removed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    enrolment = _self_enrol(client, unit_staff, unit_staff.stranger)
    assert not enrolment.clinicians.exists()
    assert Flag.objects.filter(enrolment=enrolment, kind=Flag.Kind.UNASSIGNED).exists()


def test_the_rule_is_checked_audited_and_only_for_admins(unit_staff):
    with pytest.raises(PermissionDenied):
        self_enrolment_policy_set(actor=unit_staff.clinician, unit=unit_staff.unit, rule="round_robin")
    with pytest.raises(PermissionDenied):
        self_enrolment_policy_set(actor=unit_staff.outsider, unit=unit_staff.unit, rule="round_robin")
    with pytest.raises(ValidationError):
        self_enrolment_policy_set(actor=unit_staff.admin, unit=unit_staff.unit, rule="named", clinician=None)
    with pytest.raises(ValidationError):
        self_enrolment_policy_set(
            actor=unit_staff.admin, unit=unit_staff.unit, rule="named", clinician=unit_staff.outsider
        )
    with pytest.raises(ValidationError):
        self_enrolment_policy_set(actor=unit_staff.admin, unit=unit_staff.unit, rule="admin", admin_days=0)
    assert not SelfEnrolmentPolicy.objects.exists()
    self_enrolment_policy_set(actor=unit_staff.admin, unit=unit_staff.unit, rule="admin", admin_days=5)
    assert SelfEnrolmentPolicy.objects.get().admin_days == 5
    assert AuditEvent.objects.filter(action="unit.self_enrolment_policy").count() == 1


def test_the_settings_page_saves_and_keeps_input_on_an_error(client, unit_staff):
    force_login_staff(client, unit_staff.admin)
    url = f"/clinic/{unit_staff.unit.pk}/settings/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"rule": "named", "clinician": "", "admin_days": "3"})
    assert bad.status_code == 400 and 'value="3"' in bad.content.decode()
    ok = client.post(url, {"rule": "named", "clinician": str(unit_staff.second.pk), "admin_days": "3"})
    assert ok.status_code == 302
    assert SelfEnrolmentPolicy.objects.get(unit=unit_staff.unit).clinician == unit_staff.second
    force_login_staff(client, unit_staff.clinician)
    assert client.get(url).status_code == 404  # clinicians do not set it


def test_working_days_skip_weekends_and_swedish_public_holidays():
    assert add_working_days(dt.date(2026, 12, 4), 1) == dt.date(2026, 12, 7)  # Friday → Monday
    assert add_working_days(dt.date(2026, 12, 23), 2) == dt.date(2026, 12, 29)  # over Christmas
    assert not is_working_day(dt.date(2026, 6, 6)) and is_working_day(dt.date(2026, 6, 8))
    assert not is_working_day(dt.date(2026, 6, 19)) and is_working_day(dt.date(2026, 6, 18))  # Midsummer Eve
