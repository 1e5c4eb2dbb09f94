import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fyren.accounts.permissions import units_where
from fyren.accounts.roles import Role
from fyren.demo.identities import hsa_id, org_number
from fyren.organisations.models import CareUnit
from fyren.organisations.validators import hsa_id_is_valid, organisation_number_is_valid


def test_a_valid_organisation_number_passes_and_a_wrong_check_digit_fails():
    assert organisation_number_is_valid("232100-0016")
    assert organisation_number_is_valid("2321000016")
    assert not organisation_number_is_valid("232100-0017")
    assert not organisation_number_is_valid("23210-0016")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("SE2321000016-1001", True),
        ("SE2321000016-abcXYZ9", True),
        ("SE2321000016-", False),  # no suffix
        ("SE2321000017-1001", False),  # organisation number check digit wrong
        ("se2321000016-1001", False),
        ("SE2321000016-10_01", False),
        ("SE2321000016-" + "A" * 18, True),  # exactly 31 characters
        ("SE2321000016-" + "A" * 19, False),  # 32 characters
    ],
)
def test_hsa_ids_follow_their_rule(value, valid):
    assert hsa_id_is_valid(value) is valid


@pytest.mark.django_db
def test_a_unit_with_a_bad_hsa_id_is_refused(make):
    region = make.region()
    unit = CareUnit(name="X", hsa_id="SE123-1", region=region)
    with pytest.raises(ValidationError) as info:
        unit.full_clean()
    assert "hsa_id" in info.value.message_dict


@pytest.mark.django_db
def test_staff_cannot_act_at_a_unit_past_its_end_date(make, today):
    region = make.region()
    closed = make.unit(region, "C1", "Closed", valid_to=today - dt.timedelta(days=1))
    open_unit = make.unit(region, "O1", "Open")
    user = make.staff("kim", (Role.CLINICIAN, closed), (Role.CLINICIAN, open_unit))
    assert list(units_where(user, Role.CLINICIAN)) == [open_unit]


@pytest.mark.django_db
def test_staff_cannot_act_at_a_unit_before_it_opens(make, today):
    future = make.unit(make.region(), "F1", "Future", valid_from=today + dt.timedelta(days=3))
    user = make.staff("kim", (Role.CLINICIAN, future))
    assert not units_where(user, Role.CLINICIAN).exists()


def test_demo_helpers_make_valid_identifiers():
    org = org_number("232100001")
    assert organisation_number_is_valid(org)
    assert hsa_id_is_valid(hsa_id(org, "1001"))
