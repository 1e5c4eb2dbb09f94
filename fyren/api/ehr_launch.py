"""Fyren as a SMART app that a record system launches (SMART App Launch 2, EHR
launch; docs/api.md "Opened from the record system").

The record system opens ``/smart/launch?iss=…&launch=…`` in the clinician's
browser. Fyren

1. accepts ``iss`` only when it is a registered, active
   :class:`~fyren.api.models.LaunchingRecordSystem` (nothing is fetched from an
   address Fyren does not know), reads its ``.well-known/smart-configuration``
   and sends the browser to its authorisation endpoint: authorisation code with
   PKCE (S256), ``launch``, ``aud`` = ``iss``, a ``state`` and a ``nonce`` kept in
   the session (several launches may be under way in one browser);
2. at ``/smart/redirect`` takes the code back (once: the state is removed), swaps
   it at the token endpoint — as a public client, or with a client assertion
   signed by Fyren's own key (``private_key_jwt``; the record system reads the
   key from Fyren's JWK Set) —, and reads with the access token the launch's
   ``Patient`` (its personnummer or samordningsnummer), the ``Encounter`` if one
   came (its ``serviceProvider``'s HSA-id says at which unit) and, when the
   record system's identity is trusted, the clinician from the ID token's
   ``fhirUser`` (a ``Practitioner`` with an HSA-id; the token's signature,
   issuer, audience, expiry and nonce checked against the record system's keys).

What the record system said becomes a :class:`LaunchContext` in the session; the
views (``launch_views.py``) log the clinician in or send them to Fyren's own
login, and land them on the patient's enrolment. Anything that goes wrong is a
:class:`LaunchError` with a message for the clinician; the details go to the log.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
import uuid
from urllib.parse import urljoin

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from jwcrypto import jwk
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2 import WebApplicationClient

from fyren.instruments.fhir import PERSONNUMMER, SAMORDNINGSNUMMER
from fyren.interop.fhir.careplans import HSA
from fyren.people.identity import InvalidIdentityNumber, parse_identity_number

from .models import LaunchingRecordSystem

LOG = logging.getLogger(__name__)

PENDING_KEY = "fyren_smart_pending"  # state → what the redirect needs to finish
CONTEXT_KEY = "fyren_smart_context"  # the launch waiting to land
PENDING_SECONDS = 600  # an authorisation not finished in ten minutes is forgotten
MAX_PENDING = 5
TIMEOUT = 10  # seconds for each call to the record system
CONFIG_SECONDS = 300

# What Fyren asks for: the launch context, the clinician's identity, and read access to the
# patient, the encounter and the clinician's Practitioner resource (SMART 2 scopes).
SCOPE = "launch openid fhirUser patient/Patient.r patient/Encounter.r patient/Organization.r user/Practitioner.r"

# The Swedish identity numbers and HSA-ids as Fyren writes them, and as OIDs (which record systems often send).
PERSONNUMMER_SYSTEMS = {"urn:oid:1.2.752.129.2.1.3.1", PERSONNUMMER}
SAMORDNINGSNUMMER_SYSTEMS = {"urn:oid:1.2.752.129.2.1.3.3", SAMORDNINGSNUMMER}
HSA_SYSTEMS = {HSA, "http://electronichealth.se/identifier/hsaid"}
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "ES256", "ES384"]


class LaunchError(Exception):
    """A launch that cannot go on; ``str(error)`` is for the clinician."""


def expired() -> LaunchError:
    return LaunchError(_("This launch has expired or was already used. Open Fyren from the record system again."))


@dataclasses.dataclass
class LaunchContext:
    record_system_id: int
    record_system_name: str
    identity_number: str  # the patient's twelve digits
    patient_ref: str  # the record system's Patient/id
    encounter_ref: str = ""
    unit_hsa_id: str = ""  # the encounter's service provider, when it named one
    clinician_hsa_id: str = ""  # only from a trusted record system's verified ID token

    def reason(self) -> str:
        """The launch as the access log's reason (no health content; the record system's own references)."""
        text = f"SMART launch from {self.record_system_name}: {self.patient_ref}"
        return f"{text}, {self.encounter_ref}" if self.encounter_ref else text


def _public(name: str) -> str:
    return str(settings.FYREN_PUBLIC_URL).rstrip("/") + reverse(name)


def redirect_uri() -> str:
    """Where the record system sends the browser back (registered there with Fyren's client id)."""
    return _public("smart_redirect")


def launch_uri() -> str:
    """The address the record system opens Fyren at (its app list's launch URL)."""
    return _public("smart_launch")


def jwks_uri() -> str:
    """Fyren's public keys, for a record system that takes ``private_key_jwt``."""
    return _public("oauth2_provider:jwks-info")


def _normalised(url: str) -> str:
    return url.strip().rstrip("/")


def _secure(url: str) -> bool:
    """https, or http where the settings allow it (the demo and tests, on this machine)."""
    return url.startswith("https://") or (settings.FYREN_LAUNCH_HTTP_ALLOWED and url.startswith("http://"))


def record_system_for(iss: str) -> LaunchingRecordSystem:
    wanted = _normalised(iss or "")
    if wanted:
        for candidate in LaunchingRecordSystem.objects.filter(active=True):
            if _normalised(candidate.issuer) == wanted and _secure(candidate.issuer):
                return candidate
    LOG.warning("SMART launch refused: unknown iss %r", iss)
    raise LaunchError(_("Fyren does not know the record system that opened it. Ask your administrator to register it."))


def _get_json(url: str, *, token: str = "") -> dict:
    headers = {"Accept": "application/fhir+json, application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.get(url, headers=headers, timeout=TIMEOUT)
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def configuration(record_system: LaunchingRecordSystem) -> dict:
    """The record system's ``.well-known/smart-configuration``, kept a few minutes."""
    key = f"fyren:smart-config:{record_system.pk}:{record_system.issuer}"
    found = cache.get(key)
    if found is None:
        url = _normalised(record_system.issuer) + "/.well-known/smart-configuration"
        try:
            found = _get_json(url)
        except (requests.RequestException, ValueError) as exc:
            LOG.warning("SMART launch: %s unreadable: %s", url, exc)
            raise LaunchError(_("The record system could not be reached. Try again in a moment.")) from exc
        endpoints = [found.get("authorization_endpoint"), found.get("token_endpoint")]
        if not all(isinstance(e, str) and _secure(e) for e in endpoints):
            LOG.warning("SMART launch: %s names no (https) authorization or token endpoint", url)
            raise LaunchError(_("The record system's SMART configuration is incomplete."))
        cache.set(key, found, CONFIG_SECONDS)
    return found


def begin(session, iss: str, launch: str) -> str:
    """Start the authorisation for a launch; returns where to send the browser."""
    if not launch:
        raise LaunchError(_("The record system opened Fyren without a launch context."))
    record_system = record_system_for(iss)
    config = configuration(record_system)
    client = WebApplicationClient(record_system.client_id)
    verifier = client.create_code_verifier(64)
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    now = time.time()
    pending = {s: p for s, p in session.get(PENDING_KEY, {}).items() if now - p.get("at", 0) < PENDING_SECONDS}
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda s: pending[s]["at"]))
    pending[state] = {"system": record_system.pk, "verifier": verifier, "nonce": nonce, "at": now}
    session[PENDING_KEY] = pending
    params = [
        ("response_type", "code"),
        ("client_id", record_system.client_id),
        ("redirect_uri", redirect_uri()),
        ("scope", SCOPE),
        ("state", state),
        ("code_challenge", client.create_code_challenge(verifier, "S256")),
        ("code_challenge_method", "S256"),
        ("launch", launch),
        ("aud", record_system.issuer),
        ("nonce", nonce),
    ]
    return add_params_to_uri(config["authorization_endpoint"], params)


def _client_assertion(record_system: LaunchingRecordSystem, token_endpoint: str) -> str:
    pem = str(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"])  # type: ignore[index]
    kid = jwk.JWK.from_pem(pem.encode()).thumbprint()
    now = int(time.time())
    claims = {
        "iss": record_system.client_id,
        "sub": record_system.client_id,
        "aud": token_endpoint,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, pem, algorithm="RS384", headers={"kid": kid})


def _token(record_system: LaunchingRecordSystem, config: dict, code: str, verifier: str) -> dict:
    endpoint = config["token_endpoint"]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri(),
        "code_verifier": verifier,
        "client_id": record_system.client_id,
    }
    if record_system.client_auth == LaunchingRecordSystem.ClientAuth.PRIVATE_KEY_JWT:
        data["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        data["client_assertion"] = _client_assertion(record_system, endpoint)
    try:
        response = requests.post(endpoint, data=data, headers={"Accept": "application/json"}, timeout=TIMEOUT)
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        LOG.warning("SMART launch: token endpoint %s failed: %s", endpoint, exc)
        raise LaunchError(_("The record system could not be reached. Try again in a moment.")) from exc
    if response.status_code != 200 or not body.get("access_token"):
        LOG.warning("SMART launch: token endpoint %s answered %s %s", endpoint, response.status_code, body)
        raise LaunchError(_("The record system did not give Fyren access. Open Fyren from the record system again."))
    if str(body.get("token_type", "")).lower() != "bearer":
        raise LaunchError(_("The record system did not give Fyren access. Open Fyren from the record system again."))
    return body


def _resource_url(record_system: LaunchingRecordSystem, reference: str, resource_type: str) -> str | None:
    """The address of ``reference`` (relative, or absolute within the record system's
    FHIR base) when it names a ``resource_type``; None otherwise."""
    base = _normalised(record_system.issuer) + "/"
    url = urljoin(base, reference)
    if not url.startswith(base):
        return None
    rest = url[len(base) :].split("/")
    if len(rest) != 2 or rest[0] != resource_type or not rest[1]:
        return None
    return url


def _identifier(resource: dict, systems: set[str]) -> str:
    for identifier in resource.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("system") in systems and identifier.get("value"):
            return str(identifier["value"])
    return ""


def patient_identity(patient: dict) -> str:
    """The twelve digits of a Patient's personnummer (or samordningsnummer)."""
    for systems in (PERSONNUMMER_SYSTEMS, SAMORDNINGSNUMMER_SYSTEMS):
        value = _identifier(patient, systems)
        if value:
            try:
                return parse_identity_number(value).digits
            except InvalidIdentityNumber:
                LOG.warning("SMART launch: the patient's identity number is not valid")
    raise LaunchError(_("The patient in the record system has no Swedish identity number Fyren can match."))


def _encounter_unit(record_system: LaunchingRecordSystem, encounter: dict, token: str) -> str:
    """The HSA-id of the encounter's service provider: given in the reference, or read from the Organization."""
    provider = encounter.get("serviceProvider")
    if not isinstance(provider, dict):
        return ""
    given = provider.get("identifier")
    if isinstance(given, dict) and given.get("system") in HSA_SYSTEMS and given.get("value"):
        return str(given["value"])
    url = _resource_url(record_system, str(provider.get("reference", "")), "Organization")
    return _hsa_id_at(url, token) if url else ""


def _hsa_id_at(url: str, token: str) -> str:
    """The HSA-id of the record system's resource at ``url`` ("" when it has none or cannot be read)."""
    try:
        return _identifier(_get_json(url, token=token), HSA_SYSTEMS)
    except (requests.RequestException, ValueError) as exc:
        LOG.warning("SMART launch: %s is unreadable: %s", url, exc)
        return ""


def _clinician(record_system: LaunchingRecordSystem, config: dict, id_token: str, nonce: str, token: str) -> str:
    """The HSA-id of the clinician the record system vouches for, or "" when its
    ID token does not check out or names no Practitioner with one."""
    jwks_url = config.get("jwks_uri")
    if not (id_token and isinstance(jwks_url, str) and _secure(jwks_url)):
        LOG.warning("SMART launch: trusted record system %s sent no ID token or keys", record_system)
        return ""
    try:
        key = jwt.PyJWKClient(jwks_url, timeout=TIMEOUT).get_signing_key_from_jwt(id_token)
        claims = jwt.decode(
            id_token,
            key.key,
            algorithms=ID_TOKEN_ALGORITHMS,
            audience=record_system.client_id,
            issuer=config.get("issuer") or None,
            options={"require": ["exp", "iat", "sub"], "verify_iss": bool(config.get("issuer"))},
        )
    except (jwt.PyJWTError, requests.RequestException) as exc:
        LOG.warning("SMART launch: ID token from %s refused: %s", record_system, exc)
        return ""
    if claims.get("nonce") != nonce:
        LOG.warning("SMART launch: ID token from %s has the wrong nonce", record_system)
        return ""
    url = _resource_url(record_system, str(claims.get("fhirUser", "")), "Practitioner")
    if url is None:
        LOG.info("SMART launch: fhirUser %r is not a Practitioner of the record system", claims.get("fhirUser"))
        return ""
    return _hsa_id_at(url, token)


def complete(session, params) -> LaunchContext:
    """Finish the authorisation the record system sent back to ``/smart/redirect``."""
    pending = session.get(PENDING_KEY, {})
    found = pending.pop(params.get("state", ""), None)
    session[PENDING_KEY] = pending
    if found is None or time.time() - found["at"] >= PENDING_SECONDS:
        raise expired()
    if params.get("error"):
        LOG.info("SMART launch: the record system answered %s", params.get("error"))
        raise LaunchError(_("The record system did not give Fyren access. Open Fyren from the record system again."))
    record_system = LaunchingRecordSystem.objects.filter(pk=found["system"], active=True).first()
    if record_system is None or not params.get("code"):
        raise expired()
    config = configuration(record_system)
    body = _token(record_system, config, params["code"], found["verifier"])
    token = body["access_token"]
    patient_id = str(body.get("patient", ""))
    patient_url = _resource_url(record_system, f"Patient/{patient_id}", "Patient") if patient_id else None
    if patient_url is None:
        raise LaunchError(_("The record system opened Fyren without a patient."))
    try:
        patient = _get_json(patient_url, token=token)
    except (requests.RequestException, ValueError) as exc:
        LOG.warning("SMART launch: the patient is unreadable: %s", exc)
        raise LaunchError(_("The record system could not be reached. Try again in a moment.")) from exc
    context = LaunchContext(
        record_system_id=record_system.pk,
        record_system_name=record_system.name,
        identity_number=patient_identity(patient),
        patient_ref=f"Patient/{patient_id}",
    )
    encounter_id = str(body.get("encounter", ""))
    encounter_url = _resource_url(record_system, f"Encounter/{encounter_id}", "Encounter") if encounter_id else None
    if encounter_url is not None:
        context.encounter_ref = f"Encounter/{encounter_id}"
        try:
            context.unit_hsa_id = _encounter_unit(record_system, _get_json(encounter_url, token=token), token)
        except (requests.RequestException, ValueError) as exc:
            LOG.info("SMART launch: the encounter is unreadable: %s", exc)
    if record_system.trusted_identity:
        context.clinician_hsa_id = _clinician(record_system, config, body.get("id_token", ""), found["nonce"], token)
    return context


def keep(session, context: LaunchContext) -> None:
    session[CONTEXT_KEY] = dataclasses.asdict(context)


def kept(session) -> LaunchContext | None:
    data = session.get(CONTEXT_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return LaunchContext(**data)
    except TypeError:
        return None


def forget(session) -> None:
    session.pop(CONTEXT_KEY, None)
