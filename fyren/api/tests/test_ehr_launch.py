# ruff: noqa: F811 - pytest fixtures imported from other test modules are redefined as parameters
"""The record system opens Fyren in its context (SMART App Launch 2, EHR
launch). A stand-in record system (``ehr_standin.py``) runs a real HTTP server
with its own authorisation server, keys and FHIR resources, and refuses what
SMART does not allow an app (no PKCE, a wrong ``aud``, a code used twice, a
client assertion not signed by Fyren's key …); the clinician's browser is the
Django test client following the redirects between the two."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

from conftest import PASSWORD, current_totp, force_login_staff
from fyren.accounts.decorators import AUTH_METHOD_KEY
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.care.models import CareRelation, Enrolment
from fyren.demo.identities import hsa_id, personnummer
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

from ..ehr_standin import StandInEHR, encounter, organization, patient, practitioner
from ..models import LaunchingRecordSystem

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def ehr(enrolled, settings):
    settings.FYREN_PUBLIC_URL = BASE
    settings.FYREN_LAUNCH_HTTP_ALLOWED = True  # the stand-in listens on http://127.0.0.1
    w = enrolled
    w.clinician.hsa_id = hsa_id(w.region.organisation_number, "P1")
    w.clinician.save(update_fields=["hsa_id"])
    stand_in = StandInEHR(
        client_id="fyren-app", redirect_uri=f"{BASE}/smart/redirect", launch_uri=f"{BASE}/smart/launch", name="Test"
    ).start()
    digits = w.patient.identity_number
    stand_in.add(patient("p1", "Pia", "Patient", f"{digits[:8]}-{digits[8:]}"))
    stand_in.add(patient("p2", "Sven", "Stranger", w.stranger.identity_number))
    stand_in.add(patient("p3", "Okänd", "Person", personnummer(dt.date(1990, 3, 3), "123")))
    stand_in.add({"resourceType": "Patient", "id": "p4", "name": [{"family": "Utan nummer"}]})
    stand_in.add(practitioner("doc1", "Clinician Staff", w.clinician.hsa_id))
    stand_in.add(practitioner("doc9", "Someone Else", hsa_id(w.region.organisation_number, "P9")))
    stand_in.add(organization("org-a", "Unit A", w.unit.hsa_id))
    stand_in.add(encounter("e1", "p1", "org-a"))
    w.record_system = LaunchingRecordSystem.objects.create(
        name="Journalsystem Test", issuer=stand_in.fhir_base, client_id="fyren-app"
    )
    w.record_system.units.set([w.unit])
    w.ehr = stand_in
    yield w
    stand_in.stop()


def launch(client, ehr: StandInEHR, patient_id: str, encounter_id: str = ""):
    """The record system opens Fyren for a patient; the browser follows Fyren to the
    record system's authorisation server and back. Returns Fyren's answer to the
    redirect URI (or the first answer that is not a redirect on the way)."""
    response = client.get("/smart/launch", {"iss": ehr.fhir_base, "launch": ehr.new_launch(patient_id, encounter_id)})
    if response.status_code != 302:
        return response
    at_ehr = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_ehr.status_code == 302, at_ehr.text
    back = urlsplit(at_ehr.headers["Location"])
    assert f"{back.scheme}://{back.netloc}" == BASE
    return client.get(f"{back.path}?{back.query}")


def launch_and_land(client, ehr, patient_id, encounter_id=""):
    response = launch(client, ehr, patient_id, encounter_id)
    assert response.status_code == 302 and response["Location"] == "/smart/land", response.content[:300]
    return client.get("/smart/land")


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def launch_entries(w):
    return AccessLogEntry.objects.filter(object_type="launch")


def test_the_launch_asks_the_record_system_as_smart_requires(client, ehr):
    w = ehr
    response = client.get("/smart/launch", {"iss": w.ehr.fhir_base, "launch": w.ehr.new_launch("p1")})
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = dict(p.split("=", 1) for p in url.query.split("&"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == w.ehr.configuration()["authorization_endpoint"]
    assert query["response_type"] == "code" and query["client_id"] == "fyren-app"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert requests.utils.unquote(query["aud"]) == w.ehr.fhir_base
    assert "launch" in requests.utils.unquote(query["scope"]).split("+") or "launch" in query["scope"]
    assert query["state"] and query["nonce"]


def test_a_launch_lands_on_the_enrolment_after_fyrens_own_login(client, ehr):
    w = ehr
    response = launch_and_land(client, w.ehr, "p1", "e1")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/?next=/smart/land")
    assert not launch_entries(w).exists()
    login_page = client.get(response["Location"]).content.decode()
    assert "journalsystem öppnade Fyren" in login_page or "record system opened Fyren" in login_page
    # Fyren's own login, two factors, then on to the landing.
    login = client.post(
        "/account/login/",
        {
            "username": w.clinician.username,
            "password": PASSWORD,
            "otp_token": current_totp(w.clinician),
            "next": "/smart/land",
        },
    )
    assert login.status_code == 302 and login["Location"] == "/smart/land"
    landed = client.get("/smart/land")
    assert landed.status_code == 302
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"
    assert client.get(landed["Location"]).status_code == 200
    entry = launch_entries(w).get()
    assert entry.actor_id == w.clinician.pk and entry.citizen_id == w.patient.pk and entry.unit_id == w.unit.pk
    assert entry.reason == "SMART launch from Journalsystem Test: Patient/p1, Encounter/e1"
    assert w.ehr.refusals == []
    # The launch is used once: the landing again finds nothing waiting.
    assert client.get("/smart/land").status_code == 404


def test_a_clinician_already_logged_in_lands_at_once(client, ehr):
    w = ehr
    force_login_staff(client, w.clinician)
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"
    assert launch_entries(w).get().reason == "SMART launch from Journalsystem Test: Patient/p1"


def test_a_trusted_record_system_logs_its_clinician_in(client, ehr):
    w = ehr
    w.record_system.trusted_identity = True
    w.record_system.save()
    w.ehr.signed_in = "doc1"
    landed = launch_and_land(client, w.ehr, "p1", "e1")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"
    assert client.session[AUTH_METHOD_KEY] == "smart-launch"
    assert int(client.session["_auth_user_id"]) == w.clinician.pk
    assert client.get(landed["Location"]).status_code == 200
    assert launch_entries(w).get().actor_id == w.clinician.pk


def test_a_trusted_record_system_replaces_whoever_was_logged_in(client, ehr):
    w = ehr
    w.record_system.trusted_identity = True
    w.record_system.save()
    w.ehr.signed_in = "doc1"
    force_login_staff(client, w.outsider)
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"
    assert int(client.session["_auth_user_id"]) == w.clinician.pk


def test_a_clinician_fyren_does_not_know_gets_fyrens_login(client, ehr):
    w = ehr
    w.record_system.trusted_identity = True
    w.record_system.save()
    w.ehr.signed_in = "doc9"  # an HSA-id no staff account in Fyren has
    force_login_staff(client, w.outsider)
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"].startswith("/account/login/")
    assert "_auth_user_id" not in client.session


def test_an_id_token_not_signed_by_the_record_systems_key_is_not_trusted(client, ehr):
    w = ehr
    w.record_system.trusted_identity = True
    w.record_system.save()
    w.ehr.signed_in = "doc1"
    w.ehr.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # signs; the JWK Set shows the old one
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"].startswith("/account/login/")


def test_an_untrusted_record_system_does_not_log_anyone_in(client, ehr):
    w = ehr
    w.ehr.signed_in = "doc1"
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"].startswith("/account/login/")


def test_an_outsider_launched_into_the_unit_sees_not_found(client, ehr):
    w = ehr
    force_login_staff(client, w.outsider)
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed.status_code == 404
    assert not launch_entries(w).exists()


def test_a_patient_not_in_care_looks_like_one_fyren_does_not_know(client, ehr):
    w = ehr
    force_login_staff(client, w.clinician)
    not_in_care = launch_and_land(client, w.ehr, "p2")
    unknown = launch_and_land(client, w.ehr, "p3")
    assert not_in_care.status_code == unknown.status_code == 404
    assert without_csrf(not_in_care) == without_csrf(unknown)
    assert "Journalsystem Test" in unknown.content.decode()
    assert not launch_entries(w).exists()


def test_a_patient_without_an_identity_number_is_refused_with_a_reason(client, ehr):
    w = ehr
    force_login_staff(client, w.clinician)
    response = launch(client, w.ehr, "p4")
    assert response.status_code == 400
    assert "identity number" in response.content.decode() or "identitetsnummer" in response.content.decode()


def test_an_unknown_or_inactive_record_system_is_refused_without_calling_it(client, ehr):
    w = ehr
    response = client.get("/smart/launch", {"iss": "http://127.0.0.1:9/fhir", "launch": "x"})
    assert response.status_code == 400
    w.record_system.active = False
    w.record_system.save()
    assert launch(client, w.ehr, "p1").status_code == 400
    assert client.get("/smart/launch", {"iss": w.ehr.fhir_base}).status_code == 400  # no launch


def test_the_redirect_is_used_once_and_only_with_its_state(client, ehr):
    w = ehr
    response = client.get("/smart/launch", {"iss": w.ehr.fhir_base, "launch": w.ehr.new_launch("p1")})
    back = urlsplit(requests.get(response["Location"], allow_redirects=False, timeout=10).headers["Location"])
    forged = back.query.replace("state=", "state=x")
    assert client.get(f"{back.path}?{forged}").status_code == 400
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    assert client.get(f"{back.path}?{back.query}").status_code == 400


def test_the_record_system_refusing_is_said_plainly(client, ehr):
    w = ehr
    response = client.get("/smart/launch", {"iss": w.ehr.fhir_base, "launch": "not-issued"})
    at_ehr = requests.get(response["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_ehr.headers["Location"])
    assert "error=invalid_request" in back.query
    refused = client.get(f"{back.path}?{back.query}")
    assert refused.status_code == 400 and w.ehr.refusals == ["an unknown launch"]


def test_fyren_signs_in_with_its_own_key_where_the_record_system_asks(client, ehr):
    w = ehr
    w.record_system.client_auth = LaunchingRecordSystem.ClientAuth.PRIVATE_KEY_JWT
    w.record_system.save()
    w.ehr.client_jwks = client.get("/o/.well-known/jwks.json").json()
    force_login_staff(client, w.clinician)
    assert launch_and_land(client, w.ehr, "p1").status_code == 302
    assert w.ehr.used_jti  # an assertion was checked
    # A record system that has other keys for Fyren refuses it.
    other = jwk.JWK.from_pyca(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key())
    w.ehr.client_jwks = {"keys": [{**other.export_public(as_dict=True), "kid": "other"}]}
    response = launch(client, w.ehr, "p1")
    assert response.status_code == 400 and "client authentication failed" in w.ehr.refusals


def test_the_open_program_first_and_a_choice_when_none_is_open(client, ehr):
    w = ehr
    ended = Enrolment.objects.create(
        citizen=w.patient, program_version=w.version, unit=w.unit, status=Enrolment.Status.COMPLETED
    )
    force_login_staff(client, w.clinician)
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=Enrolment.Status.DISCONTINUED)
    page = launch_and_land(client, w.ehr, "p1")
    assert page.status_code == 200
    text = page.content.decode()
    for enrolment in (w.enrolment, ended):
        assert f"/clinic/{w.unit.pk}/enrolments/{enrolment.pk}/" in text


def test_a_patient_in_care_without_a_program_lands_on_the_patient_page(client, ehr, make):
    w = ehr
    other = make.citizen("Olle", "Utan", birth=dt.date(1980, 2, 2))
    make.care_relation(other, w.unit)
    w.ehr.add(patient("p5", "Olle", "Utan", other.identity_number))
    force_login_staff(client, w.clinician)
    landed = launch_and_land(client, w.ehr, "p5")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/patients/{other.pk}/"


def test_the_encounter_says_at_which_unit(client, ehr, make):
    w = ehr
    second_unit = make.unit(w.region, "A2", "Unit A2")
    w.clinician.roles.create(role=Role.CLINICIAN, unit=second_unit)
    CareRelation.objects.create(citizen=w.patient, unit=second_unit)
    w.record_system.units.add(second_unit)
    w.ehr.add(organization("org-a2", "Unit A2", second_unit.hsa_id))
    w.ehr.add(encounter("e2", "p1", "org-a2"))
    force_login_staff(client, w.clinician)
    landed = launch_and_land(client, w.ehr, "p1", "e2")
    assert landed["Location"] == f"/clinic/{second_unit.pk}/patients/{w.patient.pk}/"
    assert launch_entries(w).get().unit_id == second_unit.pk
    # Without the encounter, the unit with the open program.
    landed = launch_and_land(client, w.ehr, "p1")
    assert landed["Location"] == f"/clinic/{w.unit.pk}/enrolments/{w.enrolment.pk}/"


def test_the_admin_shows_what_to_enter_in_the_record_systems_app_list(client, ehr):
    """The operators' admin (superuser with a second factor) registers the record system and shows Fyren's side."""
    w = ehr
    operator = w.clinician
    operator.is_superuser = operator.is_staff = True
    operator.save()
    force_login_staff(client, operator)
    page = client.get(f"/django-admin/api/launchingrecordsystem/{w.record_system.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (f"{BASE}/smart/launch", f"{BASE}/smart/redirect", f"{BASE}/o/.well-known/jwks.json", "launch openid"):
        assert shown in text
