"""Fyren's FHIR server and OAuth server used by clients the project did not
write, against a live server, as an app developer would:

- SMART's Python ``fhirclient``: a standalone launch with its own default scopes
  (the citizen approves on Fyren's page), the code exchanged by ``fhirclient``
  itself, then the patient read through it;
- ``fhirpy``: ``fetch_all()`` (following ``next`` links) and ``count()`` on every
  type, for a citizen's token and a record system's;
- every resource returned validated by ``fhir.resources`` (R4B models).
"""

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class
from fhirclient import client as smart_client
from fhirpy import SyncFHIRClient
from oauth2_provider.models import AccessToken, Application

from fyren.api.fhir_types import PROVIDERS
from fyren.api.tests.test_fhir import fhir_world, record_system  # noqa: F401 - fixtures
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "http://app.example.org/callback"
ROOT = Path(__file__).resolve().parents[3]
NODE_CLIENT = ROOT / "node_modules" / "fhir-kit-client"


def _valid(resource: dict) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def _record_system_token(live_server) -> dict:
    """A token for the record system (client credentials), asked for over HTTP."""
    return requests.post(
        f"{live_server.url}/o/token/",
        data={"grant_type": "client_credentials", "scope": "system/*.rs"},
        auth=("journal-a", "s3cret-for-tests"),
        timeout=10,
    ).json()


def _approve_in_the_browser(live_server, citizen, authorize_url: str) -> str:
    """What the citizen's browser does: Fyren's approval page, signed in, then Allow.
    Returns the address the app is sent back to."""
    signed_in = Client()
    signed_in.force_login(citizen.user)
    browser = requests.Session()
    browser.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: v.replace("&amp;", "&") for k, v in form.items()}
    back = browser.post(page.url, data={**form, "allow": "Authorize"}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:300]
    return back.headers["Location"]


def test_fhirclient_standalone_launch_with_its_default_scopes(live_server, fhir_world, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    w = fhir_world
    Application.objects.create(
        name="SMART-appen",
        client_id="smart-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
    )
    smart = smart_client.FHIRClient(
        settings={"app_id": "smart-app", "api_base": f"{live_server.url}/fhir", "redirect_uri": REDIRECT}
    )
    smart.wants_patient = True  # a standalone patient launch: launch/patient with fhirclient's default scopes
    authorize_url = smart.authorize_url
    assert "patient%2F%2A.read" in authorize_url or "patient/*.read" in authorize_url
    back = _approve_in_the_browser(live_server, w.patient, authorize_url)
    assert urlsplit(back).netloc == "app.example.org"
    smart.handle_callback(back)
    assert smart.ready and smart.patient_id == str(w.patient.pk)
    patient = smart.patient
    assert patient.name[0].family == w.patient.family_name
    issued = AccessToken.objects.get(application__client_id="smart-app")
    assert issued.scope == "launch/patient patient/*.rs openid profile"  # of "user/*.* patient/*.read openid profile"
    assert issued.id_token is not None


def test_fhirpy_fetches_and_counts_every_type(live_server, fhir_world, record_system, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    issued = _record_system_token(live_server)
    fhir = SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {issued['access_token']}")
    seen = 0
    for resource_type in PROVIDERS:
        fetched = fhir.resources(resource_type).limit(2).fetch_all()  # two a page: the next links are followed
        assert fhir.resources(resource_type).count() == len(fetched), resource_type
        for resource in fetched:
            _valid(resource.serialize())
            seen += 1
    assert seen > 20
    patient = fhir.resources("Patient").first()
    observations = fhir.resources("Observation").search(subject=f"Patient/{patient['id']}").fetch_all()
    assert observations and all(o["subject"]["reference"] == f"Patient/{patient['id']}" for o in observations)


@pytest.mark.skipif(not NODE_CLIENT.exists(), reason="npm ci installs fhir-kit-client")
def test_fhir_kit_client_from_npm_pages_reads_and_counts_every_type(live_server, fhir_world, record_system, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    issued = _record_system_token(live_server)
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "fhir_kit_client.mjs")],
        env={**os.environ, "BASE": live_server.url, "TOKEN": issued["access_token"]},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["fhirVersion"] == "4.0.1" and seen["tokenUrl"].endswith("/o/token/")
    assert set(seen["types"]) == set(PROVIDERS) | {"Subscription"}  # the client's own, none yet
    for resource_type, result in seen["types"].items():
        assert result["total"] == len(result["ids"]) == len(set(result["ids"])), resource_type
        assert result["readId"] == (result["ids"][0] if result["ids"] else None), resource_type
    assert seen["types"]["Patient"]["ids"] == [str(fhir_world.patient.pk)]
