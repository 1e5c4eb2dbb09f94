"""The read-replica router: reports and the bulk export read from the replica
when one is configured; everything else, and every write, from the primary.
(The bulk export's part is in fyren/api/tests/test_fhir.py.)"""

import pytest
from django.db import connection

from conftest import force_login_staff
from fyren.care.models import Enrolment
from fyren.lib.db_router import REPLICA, ReplicaRouter, reading_from_replica, replica_reads

pytestmark = pytest.mark.django_db
REPORTS = ["/reporting/national/", "/reporting/programs/", "/pathways/lead-times/", "/care-guarantee/"]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_reads_go_to_the_replica_only_inside_replica_reads_and_only_if_there_is_one(settings):
    router = ReplicaRouter()
    assert router.db_for_read(Enrolment) is None  # the primary
    with replica_reads():
        assert router.db_for_read(Enrolment) is None  # no replica configured
        settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}
        assert router.db_for_read(Enrolment) == REPLICA
        assert router.db_for_write(Enrolment) == "default"
    assert router.db_for_read(Enrolment) is None
    assert not router.allow_migrate(REPLICA, "care") and router.allow_migrate("default", "care")


def _flags_during(client, url) -> list[bool]:
    seen: list[bool] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(reading_from_replica())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.get(url)
    return seen


@pytest.mark.parametrize("url", REPORTS)
def test_the_report_pages_read_inside_replica_reads(client, world, url):
    force_login_staff(client, world.clinician)
    seen = _flags_during(client, url)
    assert True in seen  # the view's own reads
    assert seen[0] is False  # the session and the user: before the view, from the primary


def test_a_clinical_page_reads_from_the_primary(client, world):
    force_login_staff(client, world.clinician)
    assert True not in _flags_during(client, f"/clinic/{world.unit.pk}/")
