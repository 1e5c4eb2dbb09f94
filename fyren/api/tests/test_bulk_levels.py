"""Bulk Data 2.0 beyond the system level: Patient-level and Group-level export
(a Group per unit and per program at it), kick-off by POST with a Parameters
resource, ``_type`` and ``_typeFilter`` (Observation, QuestionnaireResponse),
and what the spec says to refuse."""

import json

import pytest
from oauth2_provider.models import Application

from fyren.api.models import BulkExport, UnitClient
from fyren.api.tests.test_api import app, token  # noqa: F401 - fixture and helper
from fyren.api.tests.test_fhir import fhir_world, get, record_system, system_token  # noqa: F401
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ASYNC = {"HTTP_PREFER": "respond-async"}


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def system(client, fhir_world, record_system):  # noqa: F811
    return system_token(client).json()["access_token"]


def _run(client, bearer, url, capture, *, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}", **ASYNC}
    with capture(execute=True):
        if body is None:
            started = client.get(url, **headers)
        else:
            started = client.post(url, data=json.dumps(body), content_type="application/fhir+json", **headers)
    assert started.status_code == 202, started.content
    manifest = client.get(started["Content-Location"].replace("http://testserver", ""), **headers).json()
    out = {}
    for item in manifest["output"]:
        data = b"".join(client.get(item["url"].replace("http://testserver", ""), **headers).streaming_content)
        out[item["type"]] = [json.loads(line) for line in data.decode().splitlines()]
    return out


def test_groups_per_unit_and_program_say_how_many_not_who(client, fhir_world, system):  # noqa: F811
    w = fhir_world
    groups = get(client, "/fhir/Group", system).json()
    ids = {e["resource"]["id"]: e["resource"] for e in groups["entry"]}
    unit_group = ids[f"unit-{w.unit.pk}"]
    assert unit_group["quantity"] == 1 and "member" not in unit_group
    program = w.enrolment.program_version.program_id
    assert ids[f"unit-{w.unit.pk}-program-{program}"]["quantity"] == 1


def test_patient_level_export_holds_only_what_is_about_patients(client, fhir_world, system, capture):  # noqa: F811
    files = _run(client, system, "/fhir/Patient/$export", capture)
    assert {"Patient", "Observation", "QuestionnaireResponse"} <= set(files)
    assert not {"Organization", "Practitioner", "Questionnaire", "Schedule", "Slot", "Group"} & set(files)
    assert BulkExport.objects.get().level == "patient"


def test_group_export_of_a_program_by_post_with_type_and_type_filter(client, fhir_world, system, capture):  # noqa: F811
    w = fhir_world
    program = w.enrolment.program_version.program_id
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "_type", "valueString": "Patient,Observation,QuestionnaireResponse"},
            {"name": "_typeFilter", "valueString": "Observation?code=http://loinc.org|44261-6"},
            {"name": "_typeFilter", "valueString": "QuestionnaireResponse?questionnaire=gad7"},
            {"name": "_outputFormat", "valueString": "application/fhir+ndjson"},
        ],
    }
    files = _run(
        client,
        system,
        f"/fhir/Group/unit-{w.unit.pk}-program-{program}/$export",
        capture,
        body=body,
    )
    assert [p["id"] for p in files["Patient"]] == [str(w.patient.pk)]
    codes = {c["code"] for o in files["Observation"] for c in o["code"]["coding"]}
    assert codes == {"44261-6"}  # only the PHQ-9 total, of all the scores
    assert "QuestionnaireResponse" not in files  # the only response is a PHQ-9: the filter leaves none


def test_what_the_kick_off_refuses(client, fhir_world, system, app):  # noqa: F811
    w = fhir_world
    headers = {"HTTP_AUTHORIZATION": f"Bearer {system}", **ASYNC}
    for url, status in [
        ("/fhir/Group/unit-999999/$export", 404),
        ("/fhir/$export?_since=2026-01-01", 400),  # an instant needs a time and a zone
        ("/fhir/$export?_outputFormat=application/fhir%2Bxml", 400),
        ("/fhir/$export?_type=Patient&_typeFilter=Observation%3Fcode%3Dx", 400),
        ("/fhir/$export?_type=Observation&_typeFilter=Observation%3Fcolour%3Dred", 400),
        ("/fhir/Patient/$export?_type=Organization", 400),
    ]:
        assert client.get(url, **headers).status_code == status, url
    not_parameters = client.post("/fhir/$export", data="[]", content_type="application/fhir+json", **headers)
    assert not_parameters.status_code == 400
    staff = token(app, w.clinician, "user/*.rs")
    assert client.get("/fhir/Patient/$export", HTTP_AUTHORIZATION=f"Bearer {staff}", **ASYNC).status_code == 403
    assert not BulkExport.objects.exists()


def test_another_units_record_system_sees_none_of_the_groups_or_their_patients(client, fhir_world, system):  # noqa: F811
    w = fhir_world
    other = Application.objects.create(
        name="Journal B",
        client_id="journal-b",
        client_secret="s3cret-for-b",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    UnitClient.objects.create(application=other, unit=w.other_unit)
    outsider = system_token(client, client_id="journal-b", secret="s3cret-for-b").json()["access_token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {outsider}", **ASYNC}
    program = w.enrolment.program_version.program_id
    for group in (f"unit-{w.unit.pk}", f"unit-{w.unit.pk}-program-{program}"):
        assert client.get(f"/fhir/Group/{group}/$export", **headers).status_code == 404
        assert get(client, f"/fhir/Group/{group}", outsider).status_code == 404
    listed = {e["resource"]["id"] for e in get(client, "/fhir/Group", outsider).json().get("entry", [])}
    assert listed == {f"unit-{w.other_unit.pk}"}
    searched = client.post("/fhir/Patient/_search", {"_id": str(w.patient.pk)}, HTTP_AUTHORIZATION=f"Bearer {outsider}")
    assert searched.status_code == 200 and searched.json()["total"] == 0
    assert not BulkExport.objects.exists()
