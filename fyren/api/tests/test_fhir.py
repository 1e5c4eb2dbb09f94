"""The FHIR R4 server: metadata, read and search for every type, valid against the
official R4 schema; paging and _include; the same resources as the journal
bundle; forbidden = 404; scopes; every read in the access log with the client;
client credentials bound to a unit; bulk $export through the worker."""

import base64
import datetime as dt
import json

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from fyren.api import bulk
from fyren.api.bulk import exports_expire
from fyren.api.fhir_types import PROVIDERS
from fyren.api.fhir_types.params import Invalid, date_q
from fyren.api.models import BulkExport, UnitClient
from fyren.api.tests.test_api import app, token  # noqa: F401 - fixture and helper
from fyren.audit.models import AccessLogEntry
from fyren.booking import services as booking
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.instruments.tests.test_fhir_questionnaire import SCHEMA, assert_valid
from fyren.journal.services import journal_export_record
from fyren.lib.db_router import reading_from_replica
from fyren.messaging.services import message_send, thread_for_enrolment
from fyren.questionnaires.services import response_start, response_submit
from fyren.questionnaires.tests.conftest import enrolled, phq9_raw  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
needs_schema = pytest.mark.skipif(not SCHEMA.exists(), reason="npm ci installs the FHIR schema")


def get(client, url, bearer=None, **headers):
    if bearer:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
    return client.get(url, **headers)


@pytest.fixture
def fhir_world(enrolled, booking_world):  # noqa: F811
    """The patient of unit A with a completed PHQ-9, a visit, a message and a journal export."""
    w = enrolled
    response = response_start(
        actor=w.patient.user,
        citizen=w.patient,
        instrument_code="phq9",
        language="sv",
        enrolment=w.enrolment,
        send=w.send,
    )
    w.response = response_submit(
        actor=w.patient.user, client_token=response.client_token, raw=phq9_raw([1, 2, 1, 0, 1, 2, 1, 0, 0])
    )
    w.booking = booking.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    message_send(actor=w.clinician, thread=thread_for_enrolment(w.enrolment), from_citizen=False, body="Hej Pia")
    today = timezone.localdate()
    w.export = journal_export_record(actor=w.clinician, enrolment=w.enrolment, start=today, end=today, lang="sv")
    return w


def test_metadata_is_a_valid_capability_statement_listing_every_type(client):
    body = client.get("/fhir/metadata").json()
    assert body["resourceType"] == "CapabilityStatement" and body["fhirVersion"] == "4.0.1"
    assert {r["type"] for r in body["rest"][0]["resource"]} == set(PROVIDERS) | {"Subscription"}
    if SCHEMA.exists():
        # The shipped schema's version list stops at 4.0.0; 4.0.1 is R4's technical correction.
        assert_valid({**body, "fhirVersion": "4.0.0"})


@needs_schema
def test_every_type_searches_and_reads_valid_r4_for_a_clinician(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    staff = token(app, w.clinician, "user/*.rs")
    seen = {}
    for resource_type in PROVIDERS:
        bundle = get(client, f"/fhir/{resource_type}", staff).json()
        assert bundle["resourceType"] == "Bundle", (resource_type, bundle)
        assert_valid(bundle)
        for entry in bundle.get("entry", []):
            assert_valid(entry["resource"])
            assert entry["fullUrl"].endswith(f"/{resource_type}/{entry['resource']['id']}")
        seen[resource_type] = [e["resource"]["id"] for e in bundle.get("entry", [])]
        for resource_id in seen[resource_type][:2]:
            one = get(client, f"/fhir/{resource_type}/{resource_id}", staff)
            assert one.status_code == 200 and one.json()["id"] == resource_id
    for kind in ("Patient", "QuestionnaireResponse", "Observation", "CarePlan", "EpisodeOfCare", "Schedule"):
        assert seen[kind], kind
    for kind in ("Slot", "Appointment", "Communication", "DocumentReference", "Organization", "Questionnaire"):
        assert seen[kind], kind
    assert seen["Patient"] == [str(w.patient.pk)]  # the stranger is nobody's patient here
    entry = AccessLogEntry.objects.filter(object_type="fhir:Observation", citizen_id=w.patient.pk).latest("seq")
    assert entry.actor_id == w.clinician.pk and entry.unit_id == w.unit.pk
    assert entry.actor_label.endswith("via Mina besök-appen")


@needs_schema
def test_the_server_returns_the_resources_of_the_journal_bundle(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    staff = token(app, w.clinician, "user/*.rs")
    observation = get(client, f"/fhir/Observation?patient={w.patient.pk}", staff).json()["entry"][0]["resource"]
    assert observation["valueQuantity"]["value"] == w.response.scores["total"]
    assert observation["subject"] == {"reference": f"Patient/{w.patient.pk}"}
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{w.response.pk}"}]
    document = get(client, f"/fhir/DocumentReference/{w.export.pk}", staff).json()
    assert base64.b64decode(document["content"][0]["attachment"]["data"]).decode() == w.export.note


def test_paging_include_and_date_search(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    staff = token(app, w.clinician, "user/*.rs")
    first = get(client, "/fhir/Questionnaire?_count=3", staff).json()
    assert len(first["entry"]) == 3 and first["total"] >= 8
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = get(client, following.replace("http://testserver", ""), staff).json()
    assert {e["resource"]["id"] for e in second["entry"]}.isdisjoint({e["resource"]["id"] for e in first["entry"]})
    assert any(link["relation"] == "previous" for link in second["link"])
    included = get(client, "/fhir/Observation?_include=Observation:patient", staff).json()
    modes = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in included["entry"]}
    assert modes == {("Observation", "match"), ("Patient", "include")}
    today = timezone.localdate().isoformat()
    assert get(client, f"/fhir/Observation?date=ge{today}", staff).json().get("entry")
    assert not get(client, "/fhir/Observation?date=lt2020", staff).json().get("entry")
    assert get(client, "/fhir/Observation?code=http://loinc.org|44261-6", staff).json().get("entry")
    assert not get(client, "/fhir/Observation?code=70274-6", staff).json().get("entry")  # GAD-7: none
    bad = get(client, "/fhir/Observation?date=yesterday", staff)
    assert bad.status_code == 400 and bad.json()["resourceType"] == "OperationOutcome"
    assert get(client, "/fhir/Patient?_count=many", staff).status_code == 400
    assert get(client, "/fhir/Patient?_include=Patient:organization", staff).status_code == 400


def test_outsiders_and_narrow_tokens_see_nothing(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    patient_url = f"/fhir/Patient/{w.patient.pk}"
    outsider = token(app, w.outsider, "user/*.rs")
    assert get(client, patient_url, outsider).status_code == 404
    assert "entry" not in get(client, "/fhir/Observation", outsider).json()
    stranger = token(app, w.stranger.user, "patient/*.rs")
    assert get(client, patient_url, stranger).status_code == 404
    assert get(client, f"/fhir/Observation/obs-{w.response.pk}-total", stranger).status_code == 404
    assert "entry" not in get(client, "/fhir/Appointment", stranger).json()
    narrow = token(app, w.clinician, "user/Patient.rs")
    assert get(client, patient_url, narrow).status_code == 200
    refused = get(client, "/fhir/Observation", narrow)
    assert refused.status_code == 403 and refused.json()["issue"][0]["code"] == "forbidden"
    assert get(client, patient_url).status_code == 401
    expired = token(app, w.clinician, "user/*.rs", minutes=-1)
    assert get(client, patient_url, expired).status_code == 401
    revoked = token(app, w.clinician, "user/*.rs")
    AccessToken.objects.get(token=revoked).revoke()
    assert get(client, patient_url, revoked).status_code == 401
    assert get(client, "/fhir/Medication", token(app, w.clinician, "user/*.rs")).status_code == 404
    assert not AccessLogEntry.objects.filter(actor=w.outsider, citizen_id=w.patient.pk).exists()


def test_a_citizen_app_reads_the_citizens_own_data(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    mine = token(app, w.patient.user, "patient/*.rs")
    observations = get(client, "/fhir/Observation", mine).json()["entry"]
    assert {o["resource"]["subject"]["reference"] for o in observations} == {f"Patient/{w.patient.pk}"}
    assert get(client, f"/fhir/Appointment/{w.booking.pk}", mine).json()["status"] == "booked"
    assert get(client, "/fhir/Patient", mine).json()["total"] == 1
    logged = AccessLogEntry.objects.filter(object_type="fhir:Appointment", citizen_id=w.patient.pk).get()
    assert logged.actor_id == w.patient.user.pk and logged.actor_label.endswith("via Mina besök-appen")


def test_a_citizen_apps_read_reads_the_citizen_once(client, fhir_world, app, django_assert_num_queries):  # noqa: F811
    """Token (with its user), the citizen, the resource, and the access log's three
    statements (inside the test's transaction, a savepoint and its release): the
    logged citizen is the token's own, not read again."""
    w = fhir_world
    mine = token(app, w.patient.user, "patient/*.rs")
    url = f"/fhir/Patient/{w.patient.pk}"
    assert get(client, url, mine).status_code == 200  # the log's chain head exists from here on
    with django_assert_num_queries(8):
        assert get(client, url, mine).status_code == 200
    entry = AccessLogEntry.objects.filter(object_type="fhir:Patient").latest("seq")
    assert entry.citizen_id == w.patient.pk and entry.actor_id == w.patient.user.pk
    assert entry.citizen_identity == w.patient.identity_number


@pytest.fixture
def record_system(fhir_world):
    journal = Application.objects.create(
        name="Journalsystemet",
        client_id="journal-a",
        client_secret="s3cret-for-tests",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    UnitClient.objects.create(application=journal, unit=fhir_world.unit)
    return journal


def system_token(client, client_id="journal-a", secret="s3cret-for-tests", scope="system/*.rs"):  # noqa: S107
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    return response


def test_a_record_system_bound_to_the_unit_reads_its_patients(client, fhir_world, record_system):
    w = fhir_world
    issued = system_token(client)
    assert issued.status_code == 200, issued.content
    bearer = issued.json()["access_token"]
    patients = get(client, "/fhir/Patient", bearer).json()
    assert [e["resource"]["id"] for e in patients["entry"]] == [str(w.patient.pk)]
    entry = AccessLogEntry.objects.filter(object_type="fhir:Patient").latest("seq")
    assert entry.actor_id is None and entry.actor_label == "system via Journalsystemet" and entry.unit_id == w.unit.pk
    assert system_token(client, secret="wrong").status_code == 401
    UnitClient.objects.all().delete()  # unbound: its tokens read nothing
    assert get(client, "/fhir/Patient", bearer).status_code == 401


@needs_schema
def test_bulk_export_through_the_worker(
    client,
    fhir_world,
    record_system,
    app,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    w = fhir_world
    built, write = [], bulk._write
    monkeypatch.setattr(bulk, "_write", lambda job: built.append(reading_from_replica()) or write(job))
    bearer = system_token(client).json()["access_token"]
    url = "/fhir/$export?_type=Patient,Observation,Appointment"
    assert get(client, url, bearer).status_code == 400  # Prefer: respond-async is required
    staff = token(app, w.clinician, "user/*.rs")
    assert get(client, url, staff, HTTP_PREFER="respond-async").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the job is stored
        started = get(client, url, bearer, HTTP_PREFER="respond-async")
    assert started.status_code == 202
    status_url = started["Content-Location"].replace("http://testserver", "")
    manifest = get(client, status_url, bearer).json()  # tests run tasks at once: done
    assert {o["type"] for o in manifest["output"]} == {"Patient", "Observation", "Appointment"}
    assert manifest["requiresAccessToken"] is True
    assert built == [True]  # the files are built from the read replica's rows when there is one
    observations = next(o for o in manifest["output"] if o["type"] == "Observation")
    body = b"".join(get(client, observations["url"].replace("http://testserver", ""), bearer).streaming_content)
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert len(lines) == observations["count"] and all(r["resourceType"] == "Observation" for r in lines)
    for resource in lines:
        assert_valid(resource)
    assert get(client, status_url, staff).status_code == 404  # another client's export
    assert AccessLogEntry.objects.filter(action="export", object_type="fhir:$export", citizen_id=w.patient.pk).exists()
    job = BulkExport.objects.get()
    assert exports_expire(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert get(client, observations["url"].replace("http://testserver", ""), bearer).status_code == 404
    assert client.delete(status_url, HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 202
    assert not BulkExport.objects.exists()


def test_date_parameters_follow_fhir_prefixes_and_precision():
    query = date_q("submitted_at", ["ge2026-03", "lt2026-04-15"])
    text = str(query)
    assert "submitted_at__gte" in text and "submitted_at__lt" in text
    with pytest.raises(Invalid):
        date_q("submitted_at", ["2026-13-01"])
    with pytest.raises(Invalid):
        date_q("submitted_at", ["soon"])


def test_each_client_is_rate_limited_on_both_apis(client, fhir_world, app, settings):  # noqa: F811
    w = fhir_world
    settings.FYREN_API_RATE = "3/min"
    staff = token(app, w.clinician, "user/*.rs")
    for _ in range(3):
        assert get(client, "/fhir/Patient", staff).status_code == 200
    limited = get(client, "/fhir/Patient", staff)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["issue"][0]["code"] == "throttled"
    rest = get(client, f"/api/v1/units/{w.unit.pk}/flags", staff)  # the same client, the same count
    assert rest.status_code == 429 and rest.json()["error"]["code"] == "rate_limited"
    other_app = Application.objects.create(
        name="Annan app", client_type="public", authorization_grant_type="authorization-code"
    )
    assert get(client, "/fhir/Patient", token(other_app, w.clinician, "user/*.rs")).status_code == 200
