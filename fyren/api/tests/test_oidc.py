"""OpenID Connect for apps: ``openid fhirUser`` give an ID token signed RS256
with Fyren's managed key, checked here against the published JWK Set as a
client would (PyJWT); ``fhirUser`` names the citizen's Patient or the staff
member's Practitioner, and both resolve on the FHIR server; userinfo answers
the same; the discovery documents point at the keys."""

import jwt
import pytest

from conftest import login_citizen, login_staff
from fyren.api.tests.test_api import _code_flow, app  # noqa: F401 - fixture and helper
from fyren.api.tests.test_fhir import fhir_world, get  # noqa: F401 - fixture and helper
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _verified(client, app, id_token):  # noqa: F811
    configuration = client.get("/.well-known/smart-configuration").json()
    discovery = client.get("/o/.well-known/openid-configuration").json()
    assert configuration["jwks_uri"] == discovery["jwks_uri"] and "sso-openid-connect" in configuration["capabilities"]
    assert configuration["issuer"] == discovery["issuer"]
    keys = jwt.PyJWKSet.from_dict(client.get(configuration["jwks_uri"].replace("http://testserver", "")).json())
    kid = jwt.get_unverified_header(id_token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    return jwt.decode(id_token, key.key, algorithms=["RS256"], audience=app.client_id, issuer=discovery["issuer"])


def test_a_citizens_id_token_names_their_patient(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    login_citizen(client, w.patient)
    _page, tokens = _code_flow(client, app, "openid fhirUser profile patient/Patient.rs")
    claims = _verified(client, app, tokens["id_token"])
    assert claims["fhirUser"].endswith(f"/fhir/Patient/{w.patient.pk}")
    assert claims["family_name"] == w.patient.family_name
    patient = get(client, "/fhir/" + claims["fhirUser"].split("/fhir/")[1], tokens["access_token"])
    assert patient.status_code == 200
    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert userinfo["fhirUser"] == claims["fhirUser"] and userinfo["sub"] == claims["sub"]


def test_a_staff_members_id_token_names_their_practitioner(client, fhir_world, app):  # noqa: F811
    w = fhir_world
    login_staff(client, w.clinician)
    _page, tokens = _code_flow(client, app, "openid fhirUser user/Practitioner.rs")
    claims = _verified(client, app, tokens["id_token"])
    assert claims["fhirUser"].endswith(f"/fhir/Practitioner/{w.clinician.pk}")
    assert "family_name" not in claims  # no profile scope, no name
    assert get(client, "/fhir/" + claims["fhirUser"].split("/fhir/")[1], tokens["access_token"]).status_code == 200


def test_no_openid_no_id_token_and_no_self_registration(client, fhir_world, app):  # noqa: F811
    login_citizen(client, fhir_world.patient)
    _page, tokens = _code_flow(client, app, "patient/Patient.rs")
    assert "id_token" not in tokens
    for path in ("/o/applications/", "/o/applications/register/", "/o/register/", "/o/authorized_tokens/"):
        assert client.get(path).status_code == 404, path


def test_rotating_the_key_keeps_the_old_one_published(tmp_path, settings):
    from django.core.management import call_command

    from fyren.lib import signing_key

    settings.OIDC_KEY_FILE = tmp_path / "signing-key.pem"
    first = signing_key.current(settings.OIDC_KEY_FILE)
    assert oct(settings.OIDC_KEY_FILE.stat().st_mode & 0o777) == "0o600"
    assert signing_key.current(settings.OIDC_KEY_FILE) == first  # made once, then read
    call_command("oidc_key_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert signing_key.current(settings.OIDC_KEY_FILE) != first
    assert signing_key.retired(settings.OIDC_KEY_FILE) == [first]
