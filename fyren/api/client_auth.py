"""SMART Backend Services: a record system authenticates at the token endpoint
with a JWT it signs with its own private key (``private_key_jwt``, RFC 7523),
instead of a shared secret.

The request carries ``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer``
and ``client_assertion``. The assertion is accepted when

- it is signed RS384 or ES384 by a key of the client's JWK Set — registered by
  value (``UnitClient.jwks``) or by address (``UnitClient.jwks_url``, fetched
  over https and kept a few minutes) — chosen by ``kid`` when the header names one;
- ``iss`` and ``sub`` are the client id, ``aud`` is the token endpoint's address;
- ``exp`` is in the future and at most five minutes away;
- its ``jti`` has not been used before by that client (kept until ``exp``).

Anything else is ``invalid_client``; the reason goes to the log, not to the caller.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.request

import jwt
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.models import get_application_model

from .models import UnitClient, UsedAssertion

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ["RS384", "ES384"]
MAX_LIFETIME = 300  # seconds: SMART asks for exp no more than five minutes ahead
LEEWAY = 30  # seconds of clock difference allowed
JWKS_SECONDS = 300  # how long a fetched JWK Set is kept

log = logging.getLogger(__name__)


class Refused(Exception):
    """The assertion cannot authenticate the client (said in the log only)."""


def token_endpoint_addresses(path: str, host: str, secure: bool) -> list[str]:
    """The addresses a client may name as ``aud``: as it reached us, and under the public address."""
    here = f"{'https' if secure else 'http'}://{host}{path}"
    public = str(settings.FYREN_PUBLIC_URL or "").rstrip("/") + path
    return sorted({here, public, here.rstrip("/"), public.rstrip("/")})


def _fetch(url: str) -> dict:
    if not url.startswith("https://") and not settings.FYREN_JWKS_HTTP_ALLOWED:
        raise Refused("A JWK Set address must be https.")
    key = f"fyren-jwks:{url}"
    found = cache.get(key)
    if found is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - https checked above
                found = json.loads(response.read(200_000))
        except (OSError, ValueError) as exc:
            raise Refused(f"The JWK Set at {url} could not be read: {exc}") from exc
        cache.set(key, found, JWKS_SECONDS)
    return found


def client_keys(binding: UnitClient) -> list[jwt.PyJWK]:
    jwks = binding.jwks or (_fetch(binding.jwks_url) if binding.jwks_url else {})
    try:
        return list(jwt.PyJWKSet.from_dict(jwks).keys)
    except (jwt.PyJWKSetError, jwt.InvalidKeyError, KeyError, TypeError) as exc:
        raise Refused(f"The client's JWK Set is not usable: {exc}") from exc


def authenticate(assertion: str, *, audiences: list[str]):
    """The Application the assertion authenticates; ``Refused`` otherwise."""
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise Refused(f"Not a JWT: {exc}") from exc
    if header.get("alg") not in ALGORITHMS:
        raise Refused(f"alg {header.get('alg')!r} is not one of {ALGORITHMS}.")
    client_id = unverified.get("iss")
    application = get_application_model().objects.filter(client_id=client_id).first() if client_id else None
    binding = UnitClient.objects.filter(application=application).first() if application else None
    if binding is None or not (binding.jwks or binding.jwks_url):
        raise Refused(f"No keys are registered for the client {client_id!r}.")
    keys = client_keys(binding)
    if header.get("kid"):
        keys = [k for k in keys if k.key_id == header["kid"]]
    claims = None
    for key in keys:
        try:
            claims = jwt.decode(
                assertion,
                key.key,
                algorithms=[header["alg"]],
                audience=audiences,
                issuer=client_id,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "jti"]},
            )
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as exc:
            raise Refused(f"The assertion is not valid: {exc}") from exc
    if claims is None:
        raise Refused("No registered key verifies the signature.")
    if claims["sub"] != client_id:
        raise Refused("sub must be the client id.")
    if claims["exp"] > time.time() + MAX_LIFETIME + LEEWAY:
        raise Refused("exp is more than five minutes ahead.")
    _use_once(application, str(claims["jti"]), claims["exp"])
    return application


def _use_once(application, jti: str, exp: float) -> None:
    now = timezone.now()
    UsedAssertion.objects.filter(expires_at__lt=now - dt.timedelta(seconds=LEEWAY)).delete()
    expires_at = dt.datetime.fromtimestamp(exp, tz=dt.UTC)
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(application=application, jti=jti[:255], expires_at=expires_at)
    except IntegrityError as exc:
        raise Refused("This assertion (its jti) has been used before.") from exc
