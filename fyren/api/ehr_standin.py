"""A stand-in record system that launches Fyren as a SMART app (EHR launch), as
a region's record system would: an HTTP server on 127.0.0.1 in a thread with
its own SMART configuration, authorisation and token endpoints, ID tokens
signed with its own key, a few FHIR resources (Patient, Encounter,
Organization, Practitioner) and, for people, a page that lists its patients
with an "Open in Fyren" link. The demo's record system (``manage.py
demo_record_system``) and the tests use it; nothing in Fyren's serving does.

It holds Fyren to SMART App Launch 2's rules for an app and refuses what a
strict authorisation server refuses: an unknown client or redirect URI (an
error page, no redirect), no ``state``, ``aud`` other than its FHIR base, a
``launch`` it did not issue, no PKCE or a method other than S256, a code used
twice or after a minute, a ``code_verifier`` that does not match, a
``redirect_uri`` at the token endpoint other than the one authorised, and —
when Fyren's public keys are given — a client assertion not signed by them
(``private_key_jwt``: RS384, ``iss`` = ``sub`` = the client id, ``aud`` = the
token endpoint, unexpired, ``jti`` once). Every refusal is kept in
``refusals`` so a test can say why."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

from fyren.interop.fhir.careplans import HSA

PERSONNUMMER = "urn:oid:1.2.752.129.2.1.3.1"  # the OID, as a record system sends it
CODE_SECONDS = 60


def patient(pid: str, given: str, family: str, personnummer: str) -> dict:
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": PERSONNUMMER, "value": personnummer}],
        "name": [{"family": family, "given": [given]}],
    }


def practitioner(pid: str, name: str, hsa_id: str) -> dict:
    return {
        "resourceType": "Practitioner",
        "id": pid,
        "identifier": [{"system": HSA, "value": hsa_id}],
        "name": [{"text": name}],
    }


def organization(oid: str, name: str, hsa_id: str) -> dict:
    return {"resourceType": "Organization", "id": oid, "identifier": [{"system": HSA, "value": hsa_id}], "name": name}


def encounter(eid: str, patient_id: str, organization_id: str) -> dict:
    return {
        "resourceType": "Encounter",
        "id": eid,
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "subject": {"reference": f"Patient/{patient_id}"},
        "serviceProvider": {"reference": f"Organization/{organization_id}"},
    }


class StandInEHR:
    def __init__(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        launch_uri: str = "",
        client_jwks: dict | None = None,
        client_jwks_url: str = "",
        port: int = 0,
        name: str = "Journalsystem",
    ):
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.launch_uri = launch_uri
        # Fyren's public keys, by value or by address: the client must then sign an assertion.
        self.client_jwks = client_jwks
        self.client_jwks_url = client_jwks_url
        self.name = name
        self.resources: dict[str, dict] = {}
        self.signed_in = ""  # the Practitioner id of the record system's user
        self.launches: dict[str, dict] = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.used_jti: set[str] = set()
        self.refusals: list[str] = []
        self.lock = threading.Lock()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "standin-1"
        self.published_key = self.key  # the key its JWK Set shows (a test may make it differ)
        ehr = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                ehr._get(self)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                ehr._post(self, form)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.fhir_base = f"{self.base}/fhir"
        self.token_endpoint = f"{self.base}/auth/token"

    # Setting up --------------------------------------------------------------------

    def add(self, resource: dict) -> dict:
        self.resources[f"{resource['resourceType']}/{resource['id']}"] = resource
        return resource

    def new_launch(self, patient_id: str, encounter_id: str = "") -> str:
        launch = secrets.token_urlsafe(12)
        with self.lock:
            self.launches[launch] = {"patient": patient_id, "encounter": encounter_id}
        return launch

    def launch_url(self, patient_id: str, encounter_id: str = "") -> str:
        """Where the record system sends its user to open Fyren for a patient."""
        launch = self.new_launch(patient_id, encounter_id)
        return f"{self.launch_uri}?{urlencode({'iss': self.fhir_base, 'launch': launch})}"

    def start(self) -> StandInEHR:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Answers -----------------------------------------------------------------------

    @staticmethod
    def _send(handler, status: int, body: str | dict = "", content_type: str = "application/json", headers=None):
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _refuse(self, reason: str) -> str:
        self.refusals.append(reason)
        return reason

    def configuration(self) -> dict:
        return {
            "issuer": self.base,
            "jwks_uri": f"{self.base}/auth/jwks",
            "authorization_endpoint": f"{self.base}/auth/authorize",
            "token_endpoint": self.token_endpoint,
            "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
            "grant_types_supported": ["authorization_code"],
            "scopes_supported": ["launch", "openid", "fhirUser", "patient/*.rs", "user/*.rs"],
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "capabilities": [
                "launch-ehr",
                "client-public",
                "client-confidential-asymmetric",
                "context-ehr-patient",
                "context-ehr-encounter",
                "sso-openid-connect",
                "permission-v2",
            ],
        }

    def _get(self, handler) -> None:
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if path == "/fhir/.well-known/smart-configuration":
            return self._send(handler, 200, self.configuration())
        if path == "/auth/jwks":
            public = jwk.JWK.from_pyca(self.published_key.public_key())
            return self._send(handler, 200, {"keys": [{**json.loads(public.export_public()), "kid": self.kid}]})
        if path == "/auth/authorize":
            return self._authorize(handler, query)
        if path.startswith("/fhir/"):
            return self._read(handler, path[len("/fhir/") :])
        if path == "/launch" and self.launch_uri:
            target = self.launch_url(query.get("patient", ""), query.get("encounter", ""))
            return self._send(handler, 302, "", "text/plain", {"Location": target})
        if path == "/":
            return self._send(handler, 200, self.page(), "text/html; charset=utf-8")
        return self._send(handler, 404, {"error": "not found"})

    def _authorize(self, handler, query: dict) -> None:
        # Errors about the client or the redirect URI are shown, never redirected (RFC 6749 4.1.2.1).
        if query.get("client_id") != self.client_id or query.get("redirect_uri") != self.redirect_uri:
            reason = self._refuse("unknown client or redirect_uri")
            return self._send(handler, 400, reason, "text/plain")

        def back(**params):
            location = f"{self.redirect_uri}?{urlencode(params)}"
            return self._send(handler, 302, "", "text/plain", {"Location": location})

        state = query.get("state", "")
        scope = query.get("scope", "").split()
        with self.lock:
            launch = self.launches.pop(query.get("launch", ""), None)
        problem = (
            (query.get("response_type") != "code" and "response_type is not code")
            or (not state and "no state")
            or (query.get("aud") != self.fhir_base and "aud is not the FHIR base")
            or ("launch" not in scope and "the launch scope was not asked for")
            or (launch is None and "an unknown launch")
            or (query.get("code_challenge_method") != "S256" and "PKCE is not S256")
            or (len(query.get("code_challenge", "")) < 43 and "no code_challenge")
        )
        if problem or launch is None:
            problem = problem or "an unknown launch"
            self._refuse(problem)
            return back(error="invalid_request", error_description=problem, state=state)
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                **launch,
                "challenge": query["code_challenge"],
                "scope": scope,
                "nonce": query.get("nonce", ""),
                "practitioner": self.signed_in,
                "at": time.time(),
            }
        return back(code=code, state=state)

    def _client_keys(self) -> dict | None:
        if self.client_jwks_url:
            try:
                return requests.get(self.client_jwks_url, timeout=10).json()
            except (requests.RequestException, ValueError):
                return {"keys": []}
        return self.client_jwks

    def _client_ok(self, form: dict) -> bool:
        client_jwks = self._client_keys()
        if client_jwks is None:
            return form.get("client_id") == self.client_id
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return False
        assertion = form.get("client_assertion", "")
        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
            keys = [k for k in client_jwks["keys"] if kid is None or k.get("kid") == kid]
            key = jwt.PyJWK(keys[0], algorithm="RS384").key
            claims = jwt.decode(
                assertion,
                key,
                algorithms=["RS384"],
                audience=self.token_endpoint,
                options={"require": ["exp", "iss", "sub", "jti"]},
            )
        except (jwt.PyJWTError, IndexError, KeyError):
            return False
        with self.lock:
            fresh = claims["jti"] not in self.used_jti
            self.used_jti.add(claims["jti"])
        return claims["iss"] == claims["sub"] == self.client_id and claims["exp"] - time.time() <= 300 and fresh

    def _post(self, handler, form: dict) -> None:
        if urlsplit(handler.path).path != "/auth/token":
            return self._send(handler, 404, {"error": "not found"})

        def refuse(error: str, reason: str, status: int = 400):
            self._refuse(reason)
            return self._send(handler, status, {"error": error, "error_description": reason})

        if not self._client_ok(form):
            return refuse("invalid_client", "client authentication failed", 401)
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code":
            return refuse("unsupported_grant_type", "grant_type is not authorization_code")
        if grant is None or time.time() - grant["at"] > CODE_SECONDS:
            return refuse("invalid_grant", "unknown, used or expired code")
        if form.get("redirect_uri") != self.redirect_uri:
            return refuse("invalid_grant", "redirect_uri differs")
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return refuse("invalid_grant", "code_verifier does not match")
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = grant
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": " ".join(grant["scope"]),
            "patient": grant["patient"],
        }
        if grant["encounter"]:
            body["encounter"] = grant["encounter"]
        if "openid" in grant["scope"] and "fhirUser" in grant["scope"] and grant["practitioner"]:
            now = int(time.time())
            claims = {
                "iss": self.base,
                "sub": grant["practitioner"],
                "aud": self.client_id,
                "iat": now,
                "exp": now + 300,
                "fhirUser": f"{self.fhir_base}/Practitioner/{grant['practitioner']}",
            }
            if grant["nonce"]:
                claims["nonce"] = grant["nonce"]
            body["id_token"] = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        return self._send(handler, 200, body)

    def _read(self, handler, reference: str) -> None:
        auth = handler.headers.get("Authorization", "")
        with self.lock:
            grant = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if grant is None:
            self._refuse(f"read of {reference} without a valid token")
            return self._send(handler, 401, {"resourceType": "OperationOutcome"})
        resource = self.resources.get(reference)
        kind = reference.split("/")[0]
        allowed = {
            "Patient": reference == f"Patient/{grant['patient']}",
            "Encounter": resource is not None
            and resource.get("subject", {}).get("reference") == f"Patient/{grant['patient']}",
            "Organization": True,
            "Practitioner": True,
        }.get(kind, False)
        if resource is None or not allowed:
            return self._send(handler, 404, {"resourceType": "OperationOutcome"}, "application/fhir+json")
        return self._send(handler, 200, resource, "application/fhir+json")

    def page(self) -> str:
        """The record system's own page: its patients, each with a link that opens Fyren."""
        who = self.resources.get(f"Practitioner/{self.signed_in}", {})
        name = (who.get("name") or [{}])[0].get("text", "")
        rows = []
        for resource in self.resources.values():
            if resource["resourceType"] != "Patient":
                continue
            pid = resource["id"]
            number = resource["identifier"][0]["value"]
            human = resource["name"][0]
            full = " ".join([*human.get("given", []), human.get("family", "")])
            visit = next(
                (
                    r["id"]
                    for r in self.resources.values()
                    if r["resourceType"] == "Encounter" and r["subject"]["reference"] == f"Patient/{pid}"
                ),
                "",
            )
            query = urlencode({"patient": pid, "encounter": visit})
            rows.append(
                f"<tr><td>{html.escape(full)}</td><td>{html.escape(number)}</td>"
                f'<td><a href="/launch?{query}">Öppna i Fyren</a></td></tr>'
            )
        return (
            '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.name)}</title></head><body><main>"
            f"<h1>{html.escape(self.name)} (demo)</h1>"
            f"<p>Inloggad: {html.escape(name)}</p>"
            "<table><thead><tr><th>Patient</th><th>Personnummer</th><th>Fyren</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></main></body></html>"
        )
