"""The RSA key that signs OpenID Connect ID tokens, managed by Fyren.

Where it comes from, first found wins:

1. ``FYREN_OIDC_PRIVATE_KEY``: the PEM itself (a secret store fills it in);
2. the file ``FYREN_OIDC_KEY_FILE`` (``var/oidc/signing-key.pem``): made the
   first time it is needed (2048-bit RSA, mode 0600) so a fresh installation
   signs without a manual step.

Rotation (``manage.py oidc_key_rotate``) moves the current key to
``retired-<time>.pem`` beside it and makes a new one; retired keys stay
published in the JWK Set (``/o/.well-known/jwks.json``) until they are deleted,
so ID tokens signed before the rotation can still be checked. Read at start-up:
restart after a rotation.

Settings import this module, so it imports nothing of Django's.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

CURRENT = "signing-key.pem"
RETIRED_GLOB = "retired-*.pem"


def new_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def _write_new(path: Path, pem: str) -> None:
    """Write ``pem`` to ``path`` atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(pem)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def current(path: Path) -> str:
    """The key in the file, made first if there is none. Two processes starting at
    once may both make one; the last written wins and both then read it."""
    if not path.exists():
        _write_new(path, new_pem())
    return path.read_text()


def retired(path: Path) -> list[str]:
    return [p.read_text() for p in sorted(path.parent.glob(RETIRED_GLOB))]


def rotate(path: Path) -> Path:
    """Retire the current key (kept for checking old tokens) and make a new one."""
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        os.replace(path, path.parent / f"retired-{stamp}.pem")
    _write_new(path, new_pem())
    return path
