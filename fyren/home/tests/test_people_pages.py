import csv
import io

import pytest

from conftest import login_citizen
from fyren.care.selectors import citizen_get_for_clinician
from fyren.care.services import emergency_access_open
from fyren.people.services import guardian_relation_create

pytestmark = pytest.mark.django_db


def test_who_has_read_my_data_lists_unit_and_time(client, world):
    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    login_citizen(client, world.patient)
    html = client.get(f"/me/{world.patient.pk}/access-log/").content.decode()
    assert world.unit.name in html
    assert "Clinician Staff" not in html  # the extract names the unit, not the person


def test_the_citizen_downloads_the_extract_as_csv(client, world):
    citizen_get_for_clinician(actor=world.clinician, unit=world.unit, citizen_id=world.patient.pk)
    emergency_access_open(
        actor=world.outsider, unit=world.other_unit, citizen=world.patient, reason="Acute care at another unit"
    )
    login_citizen(client, world.patient)
    response = client.get(f"/me/{world.patient.pk}/access-log.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert any(world.other_unit.name in row[1] and row[3] for row in rows[1:])


def test_a_guardian_sees_who_read_the_childs_data(client, world, make, today):
    import datetime as dt

    child = make.citizen("Elsa", birth=today - dt.timedelta(days=365 * 8))
    guardian_relation_create(actor=None, guardian=world.stranger, child=child, valid_from=child.birth_date)
    login_citizen(client, world.stranger)
    assert "Elsa" in client.get("/me/").content.decode()
    assert client.get(f"/me/{child.pk}/access-log/").status_code == 200


def test_contact_details_are_saved_and_bad_input_keeps_what_was_typed(client, world):
    login_citizen(client, world.patient)
    response = client.post("/me/contact/", {"email": "pia@example.org", "mobile": "12", "preferred_language": "en"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="pia@example.org"' in html and 'value="12"' in html
    world.patient.refresh_from_db()
    assert world.patient.email == ""
    response = client.post(
        "/me/contact/", {"email": "pia@example.org", "mobile": "070 123 45 67", "preferred_language": "en"}
    )
    assert response.status_code == 302
    world.patient.refresh_from_db()
    assert world.patient.mobile == "+46701234567"
