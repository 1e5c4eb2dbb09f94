"""meta.lastUpdated on the resources about patients, set by the database on
every change whoever writes (a service, a QuerySet.update()), so a record system
can ask what changed since its last call: ``_lastUpdated`` in a search and
``_since`` in a bulk export."""

import datetime as dt
import json

import pytest

from fyren.api.fhir_types import PROVIDERS
from fyren.api.tests.test_api import app, token  # noqa: F401 - fixture and helper
from fyren.api.tests.test_fhir import fhir_world, get, record_system, system_token  # noqa: F401
from fyren.booking.models import Booking, Schedule, Slot
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.care.models import Enrolment
from fyren.careplans.models import Contract
from fyren.episodes.models import CareRequest, Episode
from fyren.people.models import Citizen
from fyren.questionnaires.models import Response
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
TRACKED = [Citizen, Enrolment, Contract, Episode, CareRequest, Booking, Slot, Schedule]


@pytest.fixture
def staff(fhir_world, app):  # noqa: F811
    return token(app, fhir_world.clinician, "user/*.rs")


def _age_everything():
    for model in TRACKED:  # an UPDATE that sets changed_at itself keeps it
        model.objects.update(changed_at=LONG_AGO)


def test_every_resource_about_patients_says_when_it_last_changed(client, fhir_world, staff):  # noqa: F811
    for resource_type, provider in PROVIDERS.items():
        bundle = get(client, f"/fhir/{resource_type}?_count=500", staff).json()
        for entry in bundle.get("entry", []):
            meta = entry["resource"].get("meta", {})
            assert ("lastUpdated" in meta) == bool(provider.last_updated), resource_type
            if provider.last_updated:
                dt.datetime.fromisoformat(meta["lastUpdated"])


def test_any_write_moves_last_updated_and_last_updated_finds_it(client, fhir_world, staff):  # noqa: F811
    w = fhir_world
    _age_everything()
    since = "gt2020-06-01T00:00:00Z"
    assert get(client, f"/fhir/Patient?_lastUpdated={since}", staff).json()["total"] == 0
    Citizen.objects.filter(pk=w.patient.pk).update(given_name="Pia-Maria")  # no service, no save()
    found = get(client, f"/fhir/Patient?_lastUpdated={since}", staff).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(w.patient.pk)]
    assert found["entry"][0]["resource"]["meta"]["lastUpdated"] > "2026"
    assert get(client, "/fhir/Patient?_lastUpdated=lt2020-06-01", staff).json()["total"] == 0
    assert get(client, f"/fhir/Slot?_lastUpdated={since}", staff).json()["total"] == 0
    Booking.objects.filter(pk=w.booking.pk).update(status=Booking.Status.CANCELLED)  # the slot shows it
    slots = get(client, f"/fhir/Slot?_lastUpdated={since}", staff).json()
    assert [e["resource"]["id"] for e in slots["entry"]] == [str(w.booking.slot_id)]
    ordered = get(client, "/fhir/Patient?_sort=-_lastUpdated", staff).json()
    assert ordered["entry"][0]["resource"]["id"] == str(w.patient.pk)


def test_bulk_since_exports_what_changed(client, fhir_world, record_system, django_capture_on_commit_callbacks):  # noqa: F811
    w = fhir_world
    bearer = system_token(client).json()["access_token"]
    _age_everything()
    Response.objects.update(submitted_at=LONG_AGO)  # answered long ago
    Citizen.objects.filter(pk=w.patient.pk).update(family_name="Nyström")
    since = "2020-06-01T00:00:00+00:00"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}", "HTTP_PREFER": "respond-async"}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get("/fhir/$export", {"_type": "Patient,Appointment,Observation", "_since": since}, **headers)
    assert started.status_code == 202, started.content
    manifest = client.get(started["Content-Location"].replace("http://testserver", ""), **headers).json()
    files = {}
    for item in manifest["output"]:
        data = b"".join(client.get(item["url"].replace("http://testserver", ""), **headers).streaming_content)
        files[item["type"]] = [json.loads(line) for line in data.decode().splitlines()]
    assert [p["name"][0]["family"] for p in files["Patient"]] == ["Nyström"]
    assert "Appointment" not in files  # not changed since
    assert "Observation" not in files  # answered before _since
