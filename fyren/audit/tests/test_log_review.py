import pytest

from conftest import force_login_staff
from fyren.care.selectors import citizen_get_for_clinician
from fyren.care.services import emergency_access_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(world):
    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    emergency_access_open(
        actor=world.clinician, unit=world.unit, citizen=world.stranger, reason="Collapsed in the waiting room"
    )
    return world


def test_the_reviewer_sees_the_log_with_emergency_access_highlighted(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/").content.decode()
    assert logged.patient.identity_number in html and logged.stranger.identity_number in html
    assert 'class="flagged"' in html and "Collapsed in the waiting room" in html


@pytest.mark.parametrize(
    ("query", "shows_patient", "shows_stranger"),
    [
        ({"only_flagged": "on"}, False, True),
        ({"staff": "clinician"}, True, True),
        ({"staff": "nobody"}, False, False),
        ({"date_from": "2000-01-01", "date_to": "2000-01-02"}, False, False),
    ],
)
def test_the_reviewer_filters(client, logged, query, shows_patient, shows_stranger):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/", query).content.decode()
    assert (logged.patient.identity_number in html) is shows_patient
    assert (logged.stranger.identity_number in html) is shows_stranger


def test_the_reviewer_filters_by_citizen_and_unit(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/", {"citizen": logged.patient.identity_number, "unit": logged.unit.pk}).content
    assert logged.patient.identity_number in html.decode() and logged.stranger.identity_number not in html.decode()


def test_a_bad_filter_gets_a_message(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/", {"citizen": "123"}).content.decode()
    assert "ÅÅÅÅMMDD-NNNN" in html  # the field's help and error, in Swedish
