"""SMART App Launch 2 scopes: an app gets what it may have of what it asked for,
and the token response says what (never a failed authorisation for one scope
Fyren does not give); v1 scopes read as v2; offline_access decides the
refresh token; a scope narrowed by search parameters holds on every read and
search; a staff member cannot approve a citizen's scopes."""

import re

import pytest

from conftest import login_citizen, login_staff
from fyren.api import scopes
from fyren.api.oauth import search_params
from fyren.api.tests.test_api import _authorize_url, _code_flow, _pkce, app, token  # noqa: F401 - fixture and helpers
from fyren.api.tests.test_fhir import fhir_world, get, record_system, system_token  # noqa: F401 - fixtures
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

FHIRCLIENT_DEFAULT = "launch/patient user/*.* patient/*.read openid profile"  # fhirclient 4.4's, with a patient launch


def granted(text, context):
    return " ".join(scopes.granted(text.split(), context=context, search_params=search_params(), identity=True))


@pytest.mark.parametrize(
    ("asked", "context", "given"),
    [
        (FHIRCLIENT_DEFAULT, "patient", "launch/patient patient/*.rs openid profile"),
        (FHIRCLIENT_DEFAULT, "user", "user/*.rs openid profile"),
        ("patient/Observation.read patient/Observation.write", "patient", "patient/Observation.rs"),
        (
            "patient/Observation.r patient/Patient.s patient/Goal.cruds",
            "patient",
            "patient/Observation.r patient/Patient.s patient/Goal.rs",
        ),
        ("patient/Observation.sr patient/Observation.rs", "patient", "patient/Observation.rs"),
        ("patient/Observation.cud patient/Nonsense.rs patient/Observation.rx", "patient", ""),
        (
            "system/*.read system/Patient.cruds offline_access patient/*.rs",
            "system",
            "system/*.rs system/Patient.rs offline_access",
        ),
        ("patient/AuditEvent.rs user/Flag.rs", "patient", "patient/AuditEvent.rs"),
        (
            "patient/Observation.rs?category=survey patient/Observation.rs?code=44249-1 patient/Patient.rs?colour=red",
            "patient",
            "patient/Observation.rs?category=survey",
        ),
        ("patient/CarePlan.rs?status=active", "patient", ""),  # a type whose rows cannot be narrowed
        ("launch/patient online_access", "user", "online_access"),
        ("", "patient", ""),
    ],
)
def test_what_is_granted_of_what_is_asked(asked, context, given):
    assert granted(asked, context) == given


def test_a_granted_scope_says_which_interactions_it_allows():
    held = {"patient/Observation.r", "patient/Patient.rs", "patient/QuestionnaireResponse.rs?questionnaire=phq9"}
    assert scopes.allowed(held, "patient", "Observation", "r") == []
    assert scopes.allowed(held, "patient", "Observation", "s") is None
    assert scopes.allowed(held, "user", "Patient", "r") is None
    assert scopes.allowed(held, "patient", "QuestionnaireResponse", "s") == [{"questionnaire": ["phq9"]}]
    assert scopes.allowed(held | {"patient/*.rs"}, "patient", "QuestionnaireResponse", "s") == []


def test_a_stock_fhirclient_scope_gets_a_token_for_what_a_citizen_may_give(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    login_citizen(client, w.patient)
    page, tokens = _code_flow(client, app, FHIRCLIENT_DEFAULT)
    assert tokens["scope"] == "launch/patient patient/*.rs openid profile"
    assert "refresh_token" not in tokens  # no offline_access asked for
    assert tokens["patient"] == str(w.patient.pk)
    assert 'name="scope" value="launch/patient patient/*.rs openid profile"' in page.content.decode()
    assert "id_token" in tokens  # OpenID Connect: test_oidc.py checks it
    bundle = get(client, "/fhir/Observation", tokens["access_token"]).json()
    assert bundle["resourceType"] == "Bundle" and bundle.get("entry")


def test_an_empty_scope_gets_the_read_access_of_who_approves(client, fhir_world, app):  # noqa: F811
    login_citizen(client, fhir_world.patient)
    _verifier, challenge = _pkce()
    page = client.get(_authorize_url(app, "", challenge)).content.decode()
    assert re.search(r'name="scope" value="patient/\*\.rs"', page)  # what the form posts: the default, granted


def test_staff_asked_for_a_citizens_scopes_get_a_clear_refusal_and_no_token(client, fhir_world, app):  # noqa: F811
    login_staff(client, fhir_world.clinician)
    _verifier, challenge = _pkce()
    refused = client.get(_authorize_url(app, "launch/patient patient/*.read openid", challenge))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "user/" in text and 'name="allow"' not in text
    approved = client.post(
        _authorize_url(app, "patient/*.read", challenge),
        {
            "client_id": app.client_id,
            "redirect_uri": "https://app.example.org/callback",
            "response_type": "code",
            "scope": "patient/*.rs",
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "allow": "Authorize",
        },
    )
    assert approved.status_code == 302 and "error=invalid_scope" in approved["Location"]  # posting it anyway


def test_a_record_system_gets_system_scopes_only_and_no_refresh_token(client, fhir_world, record_system):  # noqa: F811
    issued = system_token(client, scope="system/*.read system/Patient.cruds offline_access patient/*.rs").json()
    assert issued["scope"] == "system/*.rs system/Patient.rs offline_access"
    assert "refresh_token" not in issued
    assert system_token(client, scope="patient/*.rs").json()["error"] == "invalid_scope"


def test_read_only_and_search_only_scopes_allow_just_that(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    read_only = token(app, w.patient.user, "patient/Patient.r")
    assert get(client, f"/fhir/Patient/{w.patient.pk}", read_only).status_code == 200
    searched = get(client, "/fhir/Patient", read_only)
    assert searched.status_code == 403 and "search" in searched.json()["issue"][0]["diagnostics"]
    search_only = token(app, w.patient.user, "patient/Patient.s")
    assert get(client, "/fhir/Patient", search_only).status_code == 200
    assert get(client, f"/fhir/Patient/{w.patient.pk}", search_only).status_code == 403


def test_a_narrowed_scope_holds_on_search_read_and_include(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    other = token(app, w.patient.user, "patient/QuestionnaireResponse.rs?questionnaire=gad7 patient/Patient.rs")
    assert get(client, "/fhir/QuestionnaireResponse", other).json()["total"] == 0
    assert get(client, f"/fhir/QuestionnaireResponse/{w.response.pk}", other).status_code == 404
    phq9 = token(app, w.patient.user, "patient/QuestionnaireResponse.rs?questionnaire=phq9")
    bundle = get(client, "/fhir/QuestionnaireResponse", phq9).json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(w.response.pk)]
    assert get(client, f"/fhir/QuestionnaireResponse/{w.response.pk}", phq9).status_code == 200
    narrowed_obs = token(app, w.patient.user, "patient/Observation.rs?code=44261-6")  # PHQ-9's total (LOINC)
    codes = {
        c["code"]
        for e in get(client, "/fhir/Observation", narrowed_obs).json()["entry"]
        for c in e["resource"]["code"]["coding"]
    }
    assert "44261-6" in codes
