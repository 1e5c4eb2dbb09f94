"""HTTP under /fhir/ as a FHIR client expects it: every answer is FHIR JSON (no
CSRF page, no site page), 405 with ``Allow`` for what the server does not do,
``POST …/_search``, 406 for XML, ``insufficient_scope`` on 403, and no 5xx from
any parameter value."""

import pytest
from django.test import Client

from fyren.api.fhir_types import PROVIDERS
from fyren.api.tests.test_api import app, token  # noqa: F401 - fixture and helper
from fyren.api.tests.test_fhir import fhir_world  # noqa: F401 - fixture
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    """A client that checks CSRF as a browser's would be checked."""
    return Client(enforce_csrf_checks=True)


def _outcome(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == code, body
    return body


@pytest.fixture
def staff(fhir_world, app):  # noqa: F811
    return {"HTTP_AUTHORIZATION": f"Bearer {token(app, fhir_world.clinician, 'user/*.rs')}"}


def test_writes_are_405_with_allow_not_a_csrf_page(strict, fhir_world, staff):  # noqa: F811
    w = fhir_world
    for method, url in [
        ("post", "/fhir/Patient"),
        ("put", f"/fhir/Patient/{w.patient.pk}"),
        ("patch", f"/fhir/Patient/{w.patient.pk}"),
        ("delete", f"/fhir/Patient/{w.patient.pk}"),
        ("post", "/fhir/"),
        ("post", "/fhir/metadata"),
    ]:
        response = getattr(strict, method)(url, data="{}", content_type="application/fhir+json", **staff)
        _outcome(response, 405, "not-supported")
        assert "GET" in response["Allow"] and method.upper() not in response["Allow"]


def test_search_by_post_reads_the_form_and_the_address(strict, fhir_world, staff):  # noqa: F811
    w = fhir_world
    body = strict.post("/fhir/Appointment/_search?_count=5", {"patient": f"Patient/{w.patient.pk}"}, **staff).json()
    assert body["type"] == "searchset" and body["total"] == 1
    assert body["entry"][0]["resource"]["id"] == str(w.booking.pk)
    assert strict.get(f"/fhir/Appointment/_search?patient={w.patient.pk}", **staff).json()["total"] == 1
    assert strict.post("/fhir/Appointment/_search", {"patient": "Patient/0"}, **staff).json()["total"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "Patient/1/_history",
        "Patient/1/_history/2",
        "Patient/_history",
        "_history",
        "Patient/1/extra/parts",
        "$nonsense/x",
    ],
)
def test_unknown_paths_and_history_are_operation_outcomes(client, staff, path):
    body = _outcome(client.get(f"/fhir/{path}", **staff), 404, "not-supported")
    assert ("History" in body["issue"][0]["diagnostics"]) == ("_history" in path)


def test_xml_is_refused_with_406_and_json_or_anything_is_served(client, fhir_world, staff):  # noqa: F811
    _outcome(client.get("/fhir/Patient?_format=xml", **staff), 406, "not-supported")
    _outcome(client.get("/fhir/Patient", HTTP_ACCEPT="application/fhir+xml", **staff), 406, "not-supported")
    _outcome(client.get("/fhir/metadata?_format=application/fhir+xml"), 406, "not-supported")
    for accept in ("application/fhir+json", "application/json", "*/*", "", "text/html,application/xml;q=0.9,*/*;q=0.8"):
        assert client.get("/fhir/Patient", HTTP_ACCEPT=accept, **staff).status_code == 200, accept
    assert client.get("/fhir/Patient?_format=json", **staff).status_code == 200
    assert client.get("/fhir/Patient?_format=application/fhir%2Bjson", **staff).status_code == 200


def test_a_missing_scope_says_insufficient_scope(client, fhir_world, app):  # noqa: F811  # noqa: F811
    narrow = token(app, fhir_world.clinician, "user/Patient.rs")
    response = client.get("/fhir/Observation", HTTP_AUTHORIZATION=f"Bearer {narrow}")
    _outcome(response, 403, "forbidden")
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'error="invalid_token"' in client.get("/fhir/Patient")["WWW-Authenticate"]


NASTY = [
    "",
    "x",
    "9" * 30,
    "²",
    "-1",
    "9999-12-31",
    "ge9999-12-31",
    "gt9999-12-31T23:59:59Z",
    "0000-01-01",
    "2024-13-45",
    "2024-01-01T25:99",
    "Patient/" + "9" * 25,
    "Patient/²",
    "enrolment-" + "9" * 25,
    "obs-" + "9" * 25 + "-x",
    "|",
    "a|b|c",
    "%",
    "' OR 1=1 --",
    "x" * 3000,
]


def test_no_parameter_value_gives_a_server_error(client, fhir_world, staff, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    for resource_type, provider in PROVIDERS.items():
        names = (*provider.params, "_count", "_offset", "_include", "_sort", "_total", "_summary", "_elements")
        for index, name in enumerate(names):
            # Four values a parameter, turning through the list: each type meets every value.
            for value in (NASTY[(index * 4 + k) % len(NASTY)] for k in range(4)):
                response = client.get(f"/fhir/{resource_type}", {name: value}, **staff)
                assert response.status_code < 500, (resource_type, name, value, response.content[:200])
        for value in ("9" * 30, "²", "obs-9-x", "enrolment-" + "9" * 30, "%20"):
            assert client.get(f"/fhir/{resource_type}/{value}", **staff).status_code == 404
    for value in (str(2**63), str(2**64 + 1), "9" * 40):
        response = client.get("/fhir/Patient", {"_offset": value, "_count": value}, **staff)
        assert response.status_code == 200 and "entry" not in response.json()
