"""SMART Backend Services: a record system signs its own JWT (here with authlib,
a client library Fyren did not write) and gets a token without a shared secret;
its keys registered by value or by address; what RFC 7523 and SMART forbid is
refused (wrong key, audience, issuer, an expiry too far, a reused jti, HS256)."""

import http.server
import json
import threading
import time
import uuid

import jwt
import pytest
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from fyren.api.models import UnitClient
from fyren.api.tests.test_fhir import fhir_world, get, record_system  # noqa: F401 - fixtures and helper
from fyren.booking.tests.conftest import booking_world  # noqa: F401 - fixture
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
TOKEN_URL = "http://testserver/o/token/"
BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _keypair(kind: str, kid: str):
    """A private key in PEM (as a record system keeps it) and its public JWK."""
    made = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "RSA"
        else ec.generate_private_key(ec.SECP384R1())
    )
    private = made.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    algorithm = jwt.algorithms.RSAAlgorithm if kind == "RSA" else jwt.algorithms.ECAlgorithm
    public = {**algorithm.to_jwk(made.public_key(), as_dict=True), "kid": kid, "use": "sig"}
    return private, public


@pytest.fixture(scope="module")
def rsa_key():
    return _keypair("RSA", "rsa-1")


@pytest.fixture(scope="module")
def ec_key():
    return _keypair("EC", "ec-1")


def _token(client, assertion, scope="system/*.rs"):
    return client.post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": BEARER,
            "client_assertion": assertion,
        },
    )


def _sign(key, alg, kid, **claims):
    # SMART: exp no more than five minutes ahead (authlib's own default is an hour, which is refused).
    expires_at = claims.pop("exp", int(time.time()) + 300)
    return private_key_jwt_sign(
        key, "journal-a", TOKEN_URL, alg=alg, header={"kid": kid}, claims=claims or None, expires_at=expires_at
    )


def test_a_record_system_signs_its_own_jwt_rs384_or_es384(client, fhir_world, record_system, rsa_key, ec_key):  # noqa: F811
    UnitClient.objects.filter(application=record_system).update(jwks={"keys": [rsa_key[1], ec_key[1]]})
    for private, alg, kid in ((rsa_key[0], "RS384", "rsa-1"), (ec_key[0], "ES384", "ec-1")):
        issued = _token(client, _sign(private, alg, kid))
        assert issued.status_code == 200, issued.content
        body = issued.json()
        assert body["scope"] == "system/*.rs" and "refresh_token" not in body
        patients = get(client, "/fhir/Patient", body["access_token"]).json()
        assert [e["resource"]["id"] for e in patients["entry"]] == [str(fhir_world.patient.pk)]
    configuration = client.get("/.well-known/smart-configuration").json()
    assert "private_key_jwt" in configuration["token_endpoint_auth_methods_supported"]
    assert configuration["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    assert "client-confidential-asymmetric" in configuration["capabilities"]


def test_what_rfc_7523_and_smart_forbid_is_refused(client, fhir_world, record_system, rsa_key, ec_key):  # noqa: F811
    UnitClient.objects.filter(application=record_system).update(jwks={"keys": [rsa_key[1]]})
    other_private, _other_public = _keypair("RSA", "rsa-1")
    now = int(time.time())
    refused = {
        "another key": _sign(other_private, "RS384", "rsa-1"),
        "an unregistered kid": _sign(rsa_key[0], "RS384", "nobody"),
        "a wrong audience": private_key_jwt_sign(
            rsa_key[0], "journal-a", "https://else.example/token", alg="RS384", expires_at=now + 60
        ),
        "authlib's default hour": private_key_jwt_sign(rsa_key[0], "journal-a", TOKEN_URL, alg="RS384"),
        "expired": _sign(rsa_key[0], "RS384", "rsa-1", exp=now - 120, iat=now - 400),
        "exp an hour ahead": _sign(rsa_key[0], "RS384", "rsa-1", exp=now + 3600),
        "RS256": _sign(rsa_key[0], "RS256", "rsa-1"),
        "HS256 with the secret": jwt.encode(
            {"iss": "journal-a", "sub": "journal-a", "aud": TOKEN_URL, "exp": now + 60, "jti": str(uuid.uuid4())},
            "s3cret-for-tests",
            algorithm="HS256",
        ),
        "another issuer": jwt.encode(
            {"iss": "someone", "sub": "journal-a", "aud": TOKEN_URL, "exp": now + 60, "jti": "x"},
            rsa_key[0],
            algorithm="RS384",
            headers={"kid": "rsa-1"},
        ),
        "not a JWT": "nonsense",
    }
    for what, assertion in refused.items():
        answer = _token(client, assertion)
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_client", what
    once = _sign(rsa_key[0], "RS384", "rsa-1")
    assert _token(client, once).status_code == 200
    assert _token(client, once).status_code == 401  # the same jti twice


def test_keys_registered_by_address(client, fhir_world, record_system, ec_key, settings):  # noqa: F811
    settings.FYREN_JWKS_HTTP_ALLOWED = True
    body = json.dumps({"keys": [ec_key[1]]}).encode()

    class Keys(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/jwks.json"
        UnitClient.objects.filter(application=record_system).update(jwks={}, jwks_url=url)
        assert _token(client, _sign(ec_key[0], "ES384", "ec-1")).status_code == 200
        settings.FYREN_JWKS_HTTP_ALLOWED = False
        UnitClient.objects.filter(application=record_system).update(jwks_url=url.replace("/jwks", "/other"))
        assert _token(client, _sign(ec_key[0], "ES384", "ec-1")).status_code == 401  # http refused
    finally:
        server.shutdown()


def test_the_shared_secret_stays_an_option(client, fhir_world, record_system):  # noqa: F811
    from fyren.api.tests.test_fhir import system_token

    assert system_token(client).status_code == 200
