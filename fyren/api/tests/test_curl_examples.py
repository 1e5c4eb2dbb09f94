"""The `curl` examples of docs/api.md, run as written against a live server:
every ```sh block, in order, in one bash with `set -euo pipefail` (a failing
request fails the test). The test supplies BASE, a record system's client id and
secret, and a citizen's token."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from oauth2_provider.models import Application

from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

from .test_fhir import fhir_world, record_system, token  # noqa: F401 - fixtures

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"
pytestmark = pytest.mark.django_db(transaction=True)


def blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", DOCS.read_text(), flags=re.S)


def test_the_docs_have_examples_for_both_apis():
    text = "\n".join(blocks())
    assert "/o/token/" in text and "/fhir/" in text and "/api/v1/" in text and "$export" in text


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is installed by make test")
def test_the_curl_examples_run(live_server, fhir_world, record_system, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    app = Application.objects.create(name="Docs", client_type="public", authorization_grant_type="authorization-code")
    env = {
        **os.environ,
        "BASE": live_server.url,
        "CLIENT_ID": "journal-a",
        "CLIENT_SECRET": "s3cret-for-tests",
        "CITIZEN_TOKEN": token(app, fhir_world.patient.user, "patient/*.rs"),
    }
    script = "set -euo pipefail\n" + "\n".join(blocks())
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    lines = result.stdout.splitlines()
    assert lines[0].endswith("/o/token/") and lines[1] == "4.0.1"
    assert "['Patient', 'Observation']" in result.stdout  # the bulk manifest
    assert lines[-1] == "insufficient_scope"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.S)


def test_the_python_examples_run(live_server, fhir_world, record_system):  # noqa: F811
    """The backend-services example, run as written: the test gives it BASE, the
    client id, a private key whose public half is registered, and its kid."""
    import jwt
    import requests
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from fyren.api.models import UnitClient

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = {**jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "docs-1"}
    UnitClient.objects.filter(application=record_system).update(jwks={"keys": [public]})
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    backend = [block for block in python_blocks() if "ID_TOKEN" not in block]
    assert backend
    for block in backend:
        names = {"BASE": live_server.url, "CLIENT_ID": "journal-a", "PRIVATE_KEY_PEM": pem, "KID": "docs-1"}
        exec(compile(block, "docs/api.md", "exec"), names)  # noqa: S102 - the docs' own example
        patients = requests.get(
            f"{live_server.url}/fhir/Patient", headers={"Authorization": f"Bearer {names['TOKEN']}"}, timeout=10
        )
        assert patients.status_code == 200 and patients.json()["total"] == 1


def test_the_openid_connect_example_runs(live_server, fhir_world, client, settings):  # noqa: F811
    """The ID-token example, run as written: a citizen approves an app asking for
    ``openid fhirUser`` on the live server's address, and the example checks the
    token against the published keys and reads the Patient it names."""
    from conftest import login_citizen
    from fyren.api.tests.test_api import _code_flow

    settings.FYREN_PUBLIC_URL = live_server.url
    client.defaults["HTTP_HOST"] = live_server.url.split("://", 1)[1]
    app = Application.objects.create(
        name="Docs app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
    )
    login_citizen(client, fhir_world.patient)
    _page, tokens = _code_flow(client, app, "openid fhirUser profile patient/Patient.rs")
    (block,) = [block for block in python_blocks() if "ID_TOKEN" in block]
    names = {
        "BASE": live_server.url,
        "ID_TOKEN": tokens["id_token"],
        "ACCESS_TOKEN": tokens["access_token"],
        "APP_CLIENT_ID": app.client_id,
    }
    exec(compile(block, "docs/api.md", "exec"), names)  # noqa: S102 - the docs' own example
    assert names["PERSON"]["resourceType"] == "Patient" and names["PERSON"]["id"] == str(fhir_world.patient.pk)
