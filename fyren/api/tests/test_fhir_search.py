"""Search as generated clients use it: ``total`` on every searchset (fhirpy's
``count()`` reads ``_summary=count``), ``_elements``, typed ``_include``,
``_revinclude``, ``_sort``, and parameters the server does not support refused
under ``Prefer: handling=strict`` or reported in an OperationOutcome entry."""

import pytest

from fyren.api.fhir_types import PROVIDERS
from fyren.api.tests.test_api import app, token  # noqa: F401 - fixture and helper
from fyren.api.tests.test_fhir import fhir_world, get  # noqa: F401 - fixture and helper
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(fhir_world, app):  # noqa: F811
    return token(app, fhir_world.clinician, "user/*.rs")


def test_every_searchset_has_a_total_that_counts_its_entries(client, fhir_world, staff):  # noqa: F811
    for resource_type in PROVIDERS:
        bundle = get(client, f"/fhir/{resource_type}?_count=500", staff).json()
        matches = [e for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]
        assert bundle["total"] == len(matches), resource_type
        counted = get(client, f"/fhir/{resource_type}?_summary=count", staff).json()
        assert counted["total"] == bundle["total"] and "entry" not in counted, resource_type
    assert "total" not in get(client, "/fhir/Patient?_total=none", staff).json()


def test_elements_keeps_what_is_asked_and_says_the_resource_is_subsetted(client, fhir_world, staff):  # noqa: F811
    w = fhir_world
    entry = get(client, "/fhir/Patient?_elements=birthDate", staff).json()["entry"][0]["resource"]
    assert set(entry) == {"resourceType", "id", "meta", "birthDate"}
    assert entry["meta"]["tag"][0]["code"] == "SUBSETTED"
    read = get(client, f"/fhir/Patient/{w.patient.pk}?_elements=gender,name", staff).json()
    assert set(read) == {"resourceType", "id", "meta", "gender", "name"}


def test_typed_include_and_revinclude(client, fhir_world, staff):  # noqa: F811
    w = fhir_world
    typed = get(client, "/fhir/Observation?_include=Observation:subject:Patient", staff).json()
    assert {e["resource"]["resourceType"] for e in typed["entry"] if e["search"]["mode"] == "include"} == {"Patient"}
    other_type = get(client, "/fhir/Observation?_include=Observation:subject:Group", staff).json()
    assert all(e["search"]["mode"] == "match" for e in other_type["entry"])
    rev = get(client, f"/fhir/Patient?_id={w.patient.pk}&_revinclude=Observation:patient", staff).json()
    included = [e["resource"] for e in rev["entry"] if e["search"]["mode"] == "include"]
    assert included and {r["resourceType"] for r in included} == {"Observation"}
    assert all(r["subject"]["reference"] == f"Patient/{w.patient.pk}" for r in included)
    assert get(client, "/fhir/Patient?_revinclude=Observation:nonsense", staff).status_code == 400
    capability = client.get("/fhir/metadata").json()
    patient = next(r for r in capability["rest"][0]["resource"] if r["type"] == "Patient")
    assert "Observation:patient" in patient["searchRevInclude"]
    assert {p["name"] for p in capability["rest"][0]["searchParam"]} >= {"_sort", "_summary", "_elements", "_total"}


def test_sort_by_date_both_ways(client, fhir_world, staff):  # noqa: F811
    up = get(client, "/fhir/Slot?_sort=start&_count=500", staff).json()["entry"]
    starts = [e["resource"]["start"] for e in up]
    assert starts == sorted(starts) and len(starts) > 1
    down = get(client, "/fhir/Slot?_sort=-start&_count=500", staff).json()["entry"]
    assert [e["resource"]["start"] for e in down] == sorted(starts, reverse=True)
    assert get(client, "/fhir/Slot?_sort=colour", staff).status_code == 400


def test_unsupported_parameters_strict_refuses_lenient_reports(client, fhir_world, staff):  # noqa: F811
    strict = get(client, "/fhir/Patient?colour=red&_summary=text", staff, HTTP_PREFER="handling=strict")
    assert strict.status_code == 400
    assert (
        "colour" in strict.json()["issue"][0]["diagnostics"] and "_summary" in strict.json()["issue"][0]["diagnostics"]
    )
    lenient = get(client, "/fhir/Patient?colour=red", staff).json()
    outcome = [e for e in lenient["entry"] if e["search"]["mode"] == "outcome"]
    assert len(outcome) == 1 and "colour" in outcome[0]["resource"]["issue"][0]["diagnostics"]
    assert lenient["total"] == len([e for e in lenient["entry"] if e["search"]["mode"] == "match"]) > 0
