"""SMART App Launch 2 scopes: what an app asks for, what Fyren grants, and what
a granted scope lets a token do (pure; no database).

An app asks for scopes in SMART's v1 form (``patient/*.read``) or v2 form
(``patient/Observation.rs``, ``user/*.cruds``, ``patient/Observation.rs?category=…``).
Fyren does not refuse the whole request for a scope it cannot give: it grants
what it may and the token response's ``scope`` says what was granted (SMART
App Launch 2, "Scopes and launch context"). It grants

- only reading (``r`` read, ``s`` search): the rest of ``cruds`` and v1's
  ``write`` are dropped, and a scope left with nothing to do goes — except a
  record system's own ``Subscription``s, which it may also create, update and
  delete (``system/Subscription.cruds``; ``system/*.cruds`` gives the same), and
  its bookings (``system/Appointment.c``: ``fhir_appointments.py``);
- only the context of who approves: ``patient/`` for a citizen, ``user/`` for
  staff, ``system/`` for a record system's client (client credentials);
- only resource types the server serves (or ``*``);
- a scope narrowed by search parameters (``?category=…``) when every parameter
  is one the type's search supports; the narrowing then holds for every read
  and search of that type (one narrowed scope a type: the first);
- the identity and launch scopes Fyren supports (``openid``, ``fhirUser``,
  ``profile``, ``launch/patient``) and ``offline_access`` / ``online_access``,
  which decide whether a refresh token is issued.

Granted scopes are written in v2 form, so ``patient/*.read`` becomes
``patient/*.rs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

CONTEXTS = ("patient", "user", "system")
READ, SEARCH = "r", "s"
IDENTITY = ("openid", "fhirUser", "profile")
LAUNCH = ("launch/patient",)
REFRESH = ("offline_access", "online_access")
V1 = {"read": "rs", "write": "", "*": "rs"}
# Types outside the FHIR server that the REST API gives under a scope of their own.
REST_ONLY = {"patient": ("AuditEvent",), "user": ("Flag",), "system": ()}
# What a context may write besides reading: a record system's subscriptions (fhir_subscriptions.py).
WRITABLE = {"patient": (), "user": (), "system": ("Subscription", "Appointment")}


@dataclass(frozen=True)
class Scope:
    context: str  # patient, user or system
    type: str  # a resource type or "*"
    permissions: str  # a subset of "cruds", in that order
    query: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        text = f"{self.context}/{self.type}.{self.permissions}"
        return f"{text}?{urlencode(self.query)}" if self.query else text


def parse(text: str) -> Scope | None:
    """A clinical scope in v1 or v2 form; None for anything else."""
    head, _q, query = text.partition("?")
    context, slash, rest = head.partition("/")
    if not slash or context not in CONTEXTS or "." not in rest:
        return None
    resource, _dot, permissions = rest.rpartition(".")
    if not resource or not (resource == "*" or resource.isalnum()):
        return None
    if permissions in V1:
        permissions = V1[permissions]
    elif not permissions or any(p not in "cruds" for p in permissions) or len(set(permissions)) != len(permissions):
        return None
    else:
        permissions = "".join(p for p in "cruds" if p in permissions)
    pairs = tuple(parse_qsl(query, keep_blank_values=True)) if query else ()
    if query and (not pairs or any(not k or not v for k, v in pairs)):
        return None
    return Scope(context, resource, permissions, pairs)


def granted(
    requested: list[str], *, context: str | None, search_params: dict[str, tuple[str, ...]], identity: bool = True
) -> list[str]:
    """What Fyren grants of ``requested`` to someone approving in ``context``
    (None: not known yet — keep every context, the approval narrows it later).
    ``search_params`` is every FHIR type the server serves with its search
    parameters; ``identity`` whether OpenID Connect's scopes can be given (an
    ID token is issued). Order is kept; duplicates go."""
    out: list[str] = []
    narrowed: set[tuple[str, str]] = set()
    for text in requested:
        if (identity and text in IDENTITY) or text in REFRESH or (text in LAUNCH and context in (None, "patient")):
            value = text
        else:
            scope = parse(text)
            if scope is None or (context is not None and scope.context != context):
                continue
            writes = scope.type in WRITABLE[scope.context] or (scope.type == "*" and WRITABLE[scope.context])
            permissions = "".join(p for p in scope.permissions if p in (READ, SEARCH) or (writes and p in "cud"))
            known = (
                scope.type == "*"
                or scope.type in search_params
                or scope.type in REST_ONLY[scope.context]
                or scope.type in WRITABLE[scope.context]
            )
            if not permissions or not known:
                continue
            if scope.query:
                supported = search_params.get(scope.type, ())
                key = (scope.context, scope.type)
                if key in narrowed or any(name not in supported for name, _v in scope.query):
                    continue
                narrowed.add(key)
            value = str(Scope(scope.context, scope.type, permissions, scope.query))
        if value not in out:
            out.append(value)
    return out


def clinical(scopes: list[str]) -> list[Scope]:
    return [s for s in (parse(text) for text in scopes) if s is not None]


def allowed(scopes: list[str] | set[str], context: str, resource: str, interaction: str) -> list[dict] | None:
    """Whether a token with ``scopes`` in ``context`` may ``interaction`` ("r",
    "s", or for what it may write "c", "u", "d") ``resource``: None when not; otherwise the narrowings that hold, as
    search parameters to add ([] when none: the type is open to it)."""
    narrowings: list[dict] = []
    for scope in clinical(list(scopes)):
        if scope.context != context or scope.type not in (resource, "*") or interaction not in scope.permissions:
            continue
        if not scope.query:
            return []
        params: dict[str, list[str]] = {}
        for name, value in scope.query:
            params.setdefault(name, []).append(value)
        narrowings.append(params)
    return narrowings[:1] or None
