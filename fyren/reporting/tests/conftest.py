import pytest

from fyren.accounts.roles import Role
from fyren.accounts.services import region_role_assign

HEADER = (
    "record_id,region_code,unit_hsa_id,provider,kind,sex,age,started_on,completed_on,sessions,"
    "employer_contact_on,employment_service_contact_on\n"
)


def csv_of(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.fixture
def reporting_world(world, make):
    """Region Test is Uppsala (03), Region Other is Gotland (09); an analyst at each,
    and a national analyst."""
    w = world
    w.region.county_code = "03"
    w.region.save()
    w.other_region.county_code = "09"
    w.other_region.save()
    w.analyst = make.staff("analyst", (Role.ANALYST, w.unit))
    w.other_analyst = make.staff("otheranalyst", (Role.ANALYST, w.other_unit))
    w.national = make.staff("national")
    region_role_assign(actor=None, user=w.national, region=w.region, role=Role.NATIONAL_ANALYST)
    return w
