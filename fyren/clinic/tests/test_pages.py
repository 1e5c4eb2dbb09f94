import pytest

from conftest import force_login_staff
from fyren.audit.models import AccessLogEntry
from fyren.care.models import CareRelation, EmergencyAccess

pytestmark = pytest.mark.django_db


def test_the_patient_list_has_a_constant_number_of_queries(client, world, make, django_assert_max_num_queries):
    for i in range(40):
        make.care_relation(make.citizen(f"P{i}"), world.unit)
    force_login_staff(client, world.clinician)
    with django_assert_max_num_queries(25):
        response = client.get(f"/clinic/{world.unit.pk}/patients/")
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(object_type="patient_list").count() == 41


def test_the_patient_page_shows_the_patient(client, world):
    force_login_staff(client, world.clinician)
    html = client.get(f"/clinic/{world.unit.pk}/patients/{world.patient.pk}/").content.decode()
    assert world.patient.full_name in html and world.patient.formatted_identity_number in html


def test_emergency_access_through_the_page(client, world):
    force_login_staff(client, world.clinician)
    url = f"/clinic/{world.unit.pk}/emergency-access/"
    response = client.post(url, {"identity_number": world.stranger.identity_number, "reason": ""})
    assert response.status_code == 400 and not EmergencyAccess.objects.exists()
    response = client.post(
        url, {"identity_number": world.stranger.identity_number, "reason": "Came in acutely confused"}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert world.stranger.full_name in html
    assert AccessLogEntry.objects.filter(citizen=world.stranger, emergency=True).count() == 2


def test_registering_a_new_patient_creates_the_citizen_and_the_care_relation(client, world):
    force_login_staff(client, world.clinician)
    url = f"/clinic/{world.unit.pk}/patients/new/"
    response = client.post(url, {"identity_number": "19121212-1212", "reason": "Worry"})
    assert response.status_code == 400  # names needed for a new citizen
    assert 'value="19121212-1212"' in response.content.decode()
    response = client.post(
        url, {"identity_number": "19121212-1212", "given_name": "Tolv", "family_name": "Tolvsson", "reason": "Worry"}
    )
    assert response.status_code == 302
    assert CareRelation.objects.filter(citizen__identity_number="191212121212", unit=world.unit).exists()
