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
    assert logged.patient.formatted_identity_number in html and logged.stranger.formatted_identity_number in html
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
    assert (logged.patient.formatted_identity_number in html) is shows_patient
    assert (logged.stranger.formatted_identity_number in html) is shows_stranger


def test_the_reviewer_filters_by_citizen_and_unit(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/", {"citizen": logged.patient.identity_number, "unit": logged.unit.pk}).content
    assert logged.patient.formatted_identity_number in html.decode()
    assert logged.stranger.formatted_identity_number not in html.decode()


def test_a_bad_filter_gets_a_message(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/", {"citizen": "123"}).content.decode()
    assert "ÅÅÅÅMMDD-NNNN" in html  # the field's help and error, in Swedish


def test_actions_roles_and_objects_are_in_the_readers_language(client, logged):
    force_login_staff(client, logged.log_reviewer)
    html = client.get("/log-review/").content.decode()
    assert "Läsning" in html or "Läst" in html
    assert "Behandlare" in html and "patientjournal" in html
    for code in ("clinician", "citizen", "emergency_access", "urgent_flags", "journal_export"):
        assert f">{code}<" not in html and f" {code}<" not in html
    client.cookies["django_language"] = "en"
    english = client.get("/log-review/").content.decode()
    assert "Clinician" in english and "patient record" in english


def test_the_reviewer_downloads_the_filtered_rows_and_the_download_is_logged(client, logged):
    from fyren.audit.models import AccessLogEntry, AuditEvent

    force_login_staff(client, logged.log_reviewer)
    response = client.get("/log-review/export.csv", {"only_flagged": "on"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffTid,")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + AccessLogEntry.objects.filter(emergency=True).count()
    assert logged.stranger.formatted_identity_number in text and logged.patient.formatted_identity_number not in text
    assert "Collapsed in the waiting room" in text
    export = AccessLogEntry.objects.get(action="export", object_type="access_log_export")
    assert export.citizen_id == logged.stranger.pk and export.actor == logged.log_reviewer
    event = AuditEvent.objects.get(action="access_log.export")
    assert event.data["filters"] == {"only_flagged": "on"} and event.data["citizens"] == 1


def test_only_log_reviewers_download(client, logged):
    force_login_staff(client, logged.clinician)
    assert client.get("/log-review/export.csv").status_code == 404
    force_login_staff(client, logged.outsider)
    html = client.get("/log-review/").content.decode()
    assert logged.patient.formatted_identity_number not in html  # the outsider reviews only their own region
    text = b"".join(client.get("/log-review/export.csv").streaming_content).decode()
    assert logged.patient.formatted_identity_number not in text
