"""The FHIR R4 server at ``/fhir/``: ``metadata``, read and search for the types
in ``fhir_types.PROVIDERS``, and the bulk ``$export`` of a care unit.

Every request needs a bearer token from Fyren's authorisation server; its scopes
(``patient/…``, ``user/…``, ``system/…``) say which types it may read and its
context which rows (``access.py``). Errors are OperationOutcomes; what a token
may not see is 404, exactly like what does not exist. Every patient whose data
a response carries is written to the access log, naming the user and the client.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many
from fyren.care.selectors import first_caring_unit
from fyren.lib.request_context import set_api_client
from fyren.people.selectors import citizens_with_ids

from . import bulk
from .access import Access, ClientRateThrottle, bearer_token, token_access
from .fhir_types import PROVIDERS
from .fhir_types.params import Found, Invalid, Params
from .models import BulkExport
from .subscriptions import SUBSCRIPTION_PROFILE, TOPICS, topic_url

FHIR_JSON = "application/fhir+json"
DEFAULT_COUNT = 50
MAX_COUNT = 500
CONTROL = {
    "_count",
    "_offset",
    "_include",
    "_revinclude",
    "_sort",
    "_format",
    "_pretty",
    "_summary",
    "_elements",
    "_total",
}
SUMMARIES = ("count", "false")  # _summary values served (true, text and data are not)
TOTALS = ("none", "estimate", "accurate")
MAX_REVINCLUDE = 500  # resources a _revinclude adds to one page at the most
SUBSETTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}
MAX_OFFSET = 2**31  # beyond any table here: an empty page, not a database error
JSON_FORMATS = {"json", "application/json", "application/fhir+json", "application/json+fhir"}
NDJSON_FORMATS = {"ndjson", "application/ndjson", "application/fhir+ndjson"}  # bulk files


def outcome(status: int, code: str, text: str) -> JsonResponse:
    """An OperationOutcome with one error issue."""
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": text}],
    }
    response = JsonResponse(body, status=status, content_type=FHIR_JSON)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fyren", error="invalid_token"'
    elif status == 403:
        response["WWW-Authenticate"] = 'Bearer realm="fyren", error="insufficient_scope"'
    return response


def _speaks_json(request) -> bool:
    """``_format`` and ``Accept`` allow JSON (the only format served; no XML)."""
    wanted = request.GET.get("_format")
    if wanted is not None:
        return wanted.split(";")[0].strip().lower() in JSON_FORMATS | NDJSON_FORMATS
    accept = request.headers.get("Accept", "").lower()
    if not accept.strip():
        return True
    kinds = {part.split(";")[0].strip() for part in accept.split(",")}
    return bool(kinds & (JSON_FORMATS | NDJSON_FORMATS | {"*/*", "application/*"}))


def fhir_view(*methods: str):
    """A view of the FHIR server: bearer tokens, not cookies (no CSRF check);
    another method is 405 with an OperationOutcome and ``Allow``; a client
    asking only for XML is 406. Every answer is FHIR JSON."""
    allowed_methods = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed_methods:
                response = outcome(405, "not-supported", f"{request.method} is not supported here.")
                response["Allow"] = ", ".join(sorted(allowed_methods))
                return response
            if not _speaks_json(request):
                return outcome(406, "not-supported", "This server answers in FHIR JSON only (_format=json).")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=FHIR_JSON, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def _access(request) -> Access | JsonResponse:
    access = token_access(bearer_token(request))
    if access is None:
        return outcome(401, "login", "A valid bearer token is needed.")
    request.api_access = access
    throttle = ClientRateThrottle()
    if not throttle.allow_request(request):
        response = outcome(429, "throttled", "Too many requests from this client; wait and try again.")
        response["Retry-After"] = str(math.ceil(throttle.wait() or 1))
        return response
    set_api_client(access.client)
    return access


def json_body(request):
    """The request's JSON body, or None when it is not JSON."""
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def system_access(request, resource: str, interaction: str) -> Access | JsonResponse:
    """The access of a record system's client (``system/`` scopes) allowed to
    ``interaction`` ``resource``, or the OperationOutcome that says why not."""
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    if access.context != "system":
        return outcome(403, "forbidden", f"{resource} writes are for a record system's client (system/ scopes).")
    if not access.allows(resource, interaction):
        return outcome(403, "forbidden", f"The token lacks system/{resource}.{interaction}.")
    return access


def _base(request) -> str:
    return request.build_absolute_uri(reverse("fhir_base")).rstrip("/")


def _log(access: Access, found: list[Found], *, resource_type: str, object_id: str) -> None:
    """One entry per patient in the response (merged within the request as on the
    pages); staff and systems under the unit that gives them the access."""
    citizen_ids = {f.citizen_id for f in found if f.citizen_id is not None}
    if not citizen_ids:
        return
    own = access.citizen if access.context == "patient" else None
    own_pk: int = getattr(own, "pk", 0)
    citizens: dict[int, Any]
    if own is not None and citizen_ids == {own_pk}:
        citizens = {own_pk: own}  # the token's own citizen, read with the token
    else:
        citizens = {c.pk: c for c in citizens_with_ids(citizen_ids)}
    common: dict[str, Any] = {
        "action": AccessLogEntry.Action.READ,
        "object_type": f"fhir:{resource_type}",
        "object_id": object_id,
    }
    if access.context == "patient":
        access_log_write_many(actor=access.user, citizens=citizens.values(), role="citizen", **common)
        return
    units = {u.pk: u for u in access.units}
    through = first_caring_unit(citizen_ids, units)
    by_unit: dict[int, list] = defaultdict(list)
    for citizen_id, citizen in citizens.items():
        # A care request received before any care relation: the receiving unit (the first of the access's).
        by_unit[through.get(citizen_id, access.units[0].pk)].append(citizen)
    role = Role.CLINICIAN if access.context == "user" else "system"
    for unit_id, group in by_unit.items():
        access_log_write_many(actor=access.actor, citizens=group, unit=units[unit_id], role=role, **common)


def _params(request) -> Params:
    """The search parameters of the address and, for ``POST …/_search``, of the form body."""
    params: Params = {}
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for query in sources:
        for key in query:
            name = key.split(":")[0]  # modifiers (":exact", ":missing") are read as the plain parameter
            params.setdefault(name, []).extend(v for v in query.getlist(key) if v != "")
    return params


def _count(params: Params) -> int:
    raw = (params.get("_count") or [str(DEFAULT_COUNT)])[-1]
    if not (raw.isascii() and raw.isdigit()):
        raise Invalid("_count must be a whole number.")
    return min(int(raw), MAX_COUNT)


def _offset(params: Params) -> int:
    raw = (params.get("_offset") or ["0"])[-1]
    if not (raw.isascii() and raw.isdigit()):
        raise Invalid("_offset must be a whole number.")
    return min(int(raw), MAX_OFFSET)


def _page(
    provider, access: Access, params: Params, offset: int, count: int, narrowing: Params
) -> tuple[list[Found], int | None]:
    """The resources of one page and the next page's row offset (None at the end).
    A provider whose rows expand to several resources stops before exceeding ``count``."""
    rows = _sorted(provider, provider.rows_within(access, params, narrowing), params)
    window = list(rows[offset : offset + count + 1])
    found: list[Found] = []
    used = 0
    for row in window[:count]:
        expanded = provider.expand_within(row, access, params, narrowing)
        if found and len(found) + len(expanded) > count:
            break
        found.extend(expanded)
        used += 1
    more = used < len(window)
    return found, (offset + used if more else None)


def _size(rows) -> int:
    return len(rows) if isinstance(rows, list) else rows.count()


def _reference_ids(resource: dict, path: str) -> list[str]:
    """The references under ``path`` (dotted; lists walked)."""
    values: list = [resource]
    for part in path.split("."):
        nxt = []
        for value in values:
            item = value.get(part) if isinstance(value, dict) else None
            nxt.extend(item if isinstance(item, list) else [item] if item is not None else [])
        values = nxt
    return [v["reference"] for v in values if isinstance(v, dict) and "/" in v.get("reference", "")]


def _included(access: Access, provider, found: list[Found], params: Params) -> list[Found]:
    """``_include=<Type>:<param>`` and the typed ``<Type>:<param>:<TargetType>``."""
    out: dict[str, Found] = {}
    for value in params.get("_include", []):
        source, _colon, wanted_type = value.rpartition(":") if value.count(":") == 2 else (value, "", "")
        if source not in provider.includes:
            raise Invalid(f"_include={value} is not supported for {provider.type}.")
        for item in found:
            for reference in _reference_ids(item.resource, provider.includes[source]):
                target_type, target_id = reference.split("/", 1)
                if wanted_type and target_type != wanted_type:
                    continue
                target = PROVIDERS.get(target_type)
                key = f"{target_type}/{target_id}"
                narrowing = access.narrowing(target_type, "r")
                if target is None or key in out or narrowing is None:
                    continue
                included = target.read(access, target_id, narrowing)
                if included is not None:
                    out[key] = included
    return list(out.values())


def _revincluded(access: Access, resource_type: str, found: list[Found], params: Params) -> list[Found]:
    """``_revinclude=<Type>:<param>[:<TargetType>]``: the resources of ``Type`` whose
    ``param`` refers to a resource of the page (up to MAX_REVINCLUDE)."""
    out: dict[str, Found] = {}
    references = ",".join(f"{resource_type}/{f.id}" for f in found)
    for value in params.get("_revinclude", []):
        parts = value.split(":")
        source = PROVIDERS.get(parts[0])
        if len(parts) not in (2, 3) or source is None or ":".join(parts[:2]) not in source.includes:
            raise Invalid(f"_revinclude={value} is not supported.")
        if parts[1] not in source.params:
            raise Invalid(f"_revinclude={value} is not supported: {source.type} cannot be searched by {parts[1]}.")
        narrowing = access.narrowing(source.type, "s")
        if not references or narrowing is None or (len(parts) == 3 and parts[2] != resource_type):
            continue
        asked = {parts[1]: [references]}
        for row in source.rows_within(access, asked, narrowing)[:MAX_REVINCLUDE]:
            for item in source.expand_within(row, access, asked, narrowing):
                out.setdefault(f"{source.type}/{item.id}", item)
    return list(out.values())[:MAX_REVINCLUDE]


def _elements(found: Found, params: Params) -> Found:
    """``_elements``: the resource with only the named top-level elements (and
    ``resourceType``, ``id``, ``meta``), marked SUBSETTED."""
    names = {n.strip() for n in ",".join(params.get("_elements", [])).split(",") if n.strip()}
    if not names:
        return found
    kept = {k: v for k, v in found.resource.items() if k in names or k in ("resourceType", "id", "meta")}
    meta = dict(kept.get("meta") or {})
    meta["tag"] = [*meta.get("tag", []), SUBSETTED]
    return Found(found.id, {**kept, "meta": meta}, found.citizen_id)


def _sorted(provider, rows, params: Params):
    """``_sort`` by the provider's sortable parameters (``-`` for descending); ties by id."""
    wanted = [n.strip() for n in ",".join(params.get("_sort", [])).split(",") if n.strip()]
    if not wanted:
        return rows
    fields = []
    for name in wanted:
        key = name.lstrip("-")
        field = provider.sorts.get(key) or (provider.last_updated if key == "_lastUpdated" else None)
        if field is None or not hasattr(rows, "order_by"):
            raise Invalid(f"_sort={name} is not supported for {provider.type}.")
        fields.append(f"-{field}" if name.startswith("-") else field)
    return rows.order_by(*fields, "pk")


def _link(request, resource_type: str, params: Params, offset: int, count: int) -> str:
    query = [(k, v) for k, values in params.items() if k not in ("_count", "_offset") for v in values]
    query += [("_count", str(count)), ("_offset", str(offset))]
    return f"{_base(request)}/{resource_type}?{urlencode(query)}"


def _entry(base: str, found: Found, mode: str) -> dict:
    return {
        "fullUrl": f"{base}/{found.resource['resourceType']}/{found.id}",
        "resource": found.resource,
        "search": {"mode": mode},
    }


def _provider_and_access(request, resource_type: str, interaction: str):
    """(provider, access), or the OperationOutcome that ends the request: an
    unknown type, no valid token, or a token without a scope for ``interaction``
    (``r`` read, ``s`` search) of the type."""
    provider = PROVIDERS.get(resource_type)
    if provider is None:
        return None, outcome(404, "not-supported", f"This server does not serve {resource_type}.")
    access = _access(request)
    if isinstance(access, JsonResponse):
        return None, access
    if not access.allows(resource_type, interaction):
        what = "read" if interaction == "r" else "search"
        return None, outcome(403, "forbidden", f"The token lacks a scope to {what} {resource_type}.")
    return provider, access


@fhir_view("GET")
def search(request, resource_type: str):
    """``GET [base]/[type]?…``"""
    return _search(request, resource_type)


@fhir_view("GET", "POST")
def search_post(request, resource_type: str):
    """``POST [base]/[type]/_search`` (form-encoded parameters; also in the address), or ``GET`` there."""
    return _search(request, resource_type)


@fhir_view("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request, path: str = ""):
    """Anything else under ``/fhir/``: an OperationOutcome, never a site page."""
    if "_history" in path.split("/"):
        return outcome(404, "not-supported", "History is not supported: this server keeps no earlier versions.")
    return outcome(404, "not-supported", f"This server has no interaction at /fhir/{path}.")


def _search(request, resource_type: str):
    provider, access = _provider_and_access(request, resource_type, "s")
    if provider is None:
        return access
    params = _params(request)
    used, ignored = _usable(provider, params)
    if ignored and "handling=strict" in request.headers.get("Prefer", "").replace(" ", ""):
        return outcome(400, "not-supported", f"Not supported here: {', '.join(ignored)}.")
    summary = (used.get("_summary") or ["false"])[-1]
    try:
        count, offset = _count(used), _offset(used)
        narrowing = access.narrowing(resource_type, "s") or {}
        found: list[Found] = []
        next_offset = None
        if count and summary != "count":
            found, next_offset = _page(provider, access, used, offset, count, narrowing)
        included = _included(access, provider, found, used) + _revincluded(access, resource_type, found, used)
        want_total = (used.get("_total") or ["accurate"])[-1] != "none" or summary == "count"
        total = provider.total(access, used, narrowing) if want_total else None
    except Invalid as exc:
        return outcome(400, "invalid", str(exc))
    _log(access, found + included, resource_type=resource_type, object_id="search")
    base = _base(request)
    links = [{"relation": "self", "url": _link(request, resource_type, used, offset, count)}]
    if next_offset is not None:
        links.append({"relation": "next", "url": _link(request, resource_type, used, next_offset, count)})
    if offset and summary != "count":
        links.append(
            {"relation": "previous", "url": _link(request, resource_type, used, max(0, offset - count), count)}
        )
    entries = [_entry(base, _elements(f, used), "match") for f in found]
    entries += [_entry(base, f, "include") for f in included]
    if ignored:
        entries.append(_ignored_entry(ignored))
    bundle: dict = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(),
        "link": links,
        "entry": entries,
    }
    if total is not None:
        bundle["total"] = total
    if not bundle["entry"]:
        del bundle["entry"]
    return _json(bundle)


def _usable(provider, params: Params) -> tuple[Params, list[str]]:
    """The parameters this search honours, and those it cannot (names, or a
    control parameter with its value), in the order asked."""
    used: Params = {}
    ignored: list[str] = []
    served = {"_summary": SUMMARIES, "_total": TOTALS}
    for name, values in params.items():
        if name not in provider.params and name not in CONTROL:
            ignored.append(name)
        elif name in served and any(v not in served[name] for v in values):
            ignored.append(f"{name}={','.join(values)}")
        else:
            used[name] = values
    return used, ignored


def _ignored_entry(ignored: list[str]) -> dict:
    """Lenient handling (the default): the search ran without what it could not use, and says so."""
    return {
        "resource": {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "warning",
                    "code": "not-supported",
                    "diagnostics": f"Ignored (not supported here): {', '.join(ignored)}.",
                }
            ],
        },
        "search": {"mode": "outcome"},
    }


@fhir_view("GET")
def read(request, resource_type: str, resource_id: str):
    provider, access = _provider_and_access(request, resource_type, "r")
    if provider is None:
        return access
    found = provider.read(access, resource_id, access.narrowing(resource_type, "r"))
    if found is None:
        return outcome(404, "not-found", f"{resource_type}/{resource_id} is not known.")
    _log(access, [found], resource_type=resource_type, object_id=resource_id)
    return _json(_elements(found, _params(request)).resource)


@fhir_view("GET")
def metadata(request):
    """The CapabilityStatement (no token needed)."""
    base = _base(request)
    resources = []
    for provider in PROVIDERS.values():
        entry: dict = {
            "type": provider.type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [{"name": name, "type": SEARCH_TYPES.get(name, "token")} for name in provider.params],
        }
        if provider.includes:
            entry["searchInclude"] = sorted(provider.includes)
        revincludes = sorted(
            value
            for other in PROVIDERS.values()
            for value in other.includes
            if value.split(":")[1] in other.params and _may_refer(other, value, provider.type)
        )
        if revincludes:
            entry["searchRevInclude"] = revincludes
        if provider.type == "Appointment":  # a record system books (system/Appointment.c; fhir_appointments.py)
            entry["interaction"].append({"code": "create"})
            entry["operation"] = [
                {
                    "name": "book",
                    "definition": "http://fhir.org/guides/argonaut/scheduling/OperationDefinition/appointment-book",
                }
            ]
        resources.append(entry)
    resources.append(_subscription_capability())
    body = {
        "resourceType": "CapabilityStatement",
        "instantiates": [
            "http://hl7.org/fhir/uv/subscriptions-backport/CapabilityStatement/backport-subscription-server-r4"
        ],
        "status": "active",
        "date": "2026-12-02",
        "publisher": "Fyren",
        "kind": "instance",
        "software": {"name": "Fyren"},
        "implementation": {"description": "Fyren FHIR R4 server", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                            "extension": [
                                {
                                    "url": "authorize",
                                    "valueUri": request.build_absolute_uri(reverse("oauth2_provider:authorize")),
                                },
                                {
                                    "url": "token",
                                    "valueUri": request.build_absolute_uri(reverse("oauth2_provider:token")),
                                },
                            ],
                        }
                    ],
                    "description": "OAuth 2.0 bearer tokens with SMART App Launch 2 scopes "
                    "(see /.well-known/smart-configuration).",
                },
                "resource": resources,
                # The parameters every search takes (_offset pages; Prefer: handling=strict refuses the rest).
                "searchParam": [
                    {"name": name, "type": kind}
                    for name, kind in (
                        ("_count", "number"),
                        ("_offset", "number"),
                        ("_sort", "string"),
                        ("_include", "string"),
                        ("_revinclude", "string"),
                        ("_summary", "token"),
                        ("_elements", "string"),
                        ("_total", "token"),
                        ("_format", "token"),
                    )
                ],
                "operation": [
                    {"name": "export", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"}
                ],
            }
        ],
    }
    return _json(body)


def _subscription_capability() -> dict:
    """Subscription as the R4 Subscriptions Backport asks: the profile, the
    operations and the topics (R4 has no SubscriptionTopic resource)."""
    operations = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-"
    return {
        "type": "Subscription",
        "supportedProfile": [SUBSCRIPTION_PROFILE],
        "interaction": [{"code": c} for c in ("read", "create", "update", "delete", "search-type")],
        "searchParam": [{"name": "status", "type": "token"}],
        "operation": [
            {"name": "$status", "definition": operations + "status"},
            {"name": "$events", "definition": operations + "events"},
        ],
        "extension": [
            {
                "url": "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
                "capabilitystatement-subscriptiontopic-canonical",
                "valueCanonical": topic_url(name),
            }
            for name in TOPICS
        ],
    }


def _may_refer(provider, include: str, target_type: str) -> bool:
    """Whether ``include``'s reference can point at ``target_type`` (by its name: patient/subject → Patient)."""
    name = include.split(":")[1]
    return {"patient": "Patient", "subject": "Patient", "actor": "Patient", "schedule": "Schedule"}.get(
        name, ""
    ) == target_type


SEARCH_TYPES = {
    "_lastUpdated": "date",
    "_id": "token",
    "patient": "reference",
    "subject": "reference",
    "actor": "reference",
    "schedule": "reference",
    "date": "date",
    "authored": "date",
    "sent": "date",
    "start": "date",
    "birthdate": "date",
    "family": "string",
    "given": "string",
    "name": "string",
    "title": "string",
    "url": "uri",
    "questionnaire": "reference",
}


# --- bulk export ----------------------------------------------------------------------------


NDJSON_OUTPUT = {"application/fhir+ndjson", "application/ndjson", "ndjson"}


@fhir_view("GET", "POST")
def export_kickoff(request):
    """``[base]/$export``: everything of the record system's unit."""
    return _kickoff(request, BulkExport.Level.SYSTEM)


@fhir_view("GET", "POST")
def export_kickoff_patients(request):
    """``[base]/Patient/$export``: the unit's patients and what is about them."""
    return _kickoff(request, BulkExport.Level.PATIENT)


@fhir_view("GET", "POST")
def export_kickoff_group(request, group_id: str):
    """``[base]/Group/<id>/$export``: the patients of one of the unit's Groups (fhir_types/group.py)."""
    return _kickoff(request, BulkExport.Level.GROUP, group_id)


def _kickoff_params(request) -> dict[str, list[str]]:
    """The kick-off's parameters: the address's, or a POSTed FHIR Parameters resource's."""
    if request.method != "POST":
        return {k: [v for v in request.GET.getlist(k) if v] for k in request.GET}
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise Invalid("The body must be a FHIR Parameters resource in JSON.") from exc
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise Invalid("The body must be a FHIR Parameters resource in JSON.")
    out: dict[str, list[str]] = {}
    for parameter in body.get("parameter") or []:
        value = (
            next((v for k, v in parameter.items() if k.startswith("value")), None)
            if isinstance(parameter, dict)
            else None
        )
        if isinstance(value, str) and value:
            out.setdefault(str(parameter.get("name", "")), []).append(value)
    return out


def _type_filters(values: list[str], types: list[str]) -> dict[str, list[Params]]:
    """``_typeFilter=<Type>?<search>`` (several: OR); each parameter one the type's search supports."""
    out: dict[str, list[Params]] = {}
    for value in values:
        for one in value.split(","):  # a comma inside a query's value is sent encoded (%2C)
            resource_type, mark, query = one.partition("?")
            provider = PROVIDERS.get(resource_type)
            if not mark or provider is None or resource_type not in types:
                raise Invalid(f"_typeFilter={one}: name a type of the export and its search, as Type?param=value.")
            params: Params = {}
            for name, item in parse_qsl(query, keep_blank_values=False):
                if name not in provider.params:
                    raise Invalid(f"_typeFilter={one}: {resource_type} cannot be searched by {name}.")
                params.setdefault(name, []).append(item)
            out.setdefault(resource_type, []).append(params)
    return out


def _instant(value: str) -> dt.datetime:
    """``_since``: a FHIR instant (a dateTime with a time zone)."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(f"_since={value} is not a FHIR instant (e.g. 2026-12-01T08:00:00+01:00).") from exc
    if parsed.tzinfo is None or "T" not in value:
        raise Invalid(f"_since={value} needs a time and a time zone (e.g. 2026-12-01T08:00:00Z).")
    return parsed


def _kickoff(request, level: str, group_id: str = ""):
    """Bulk Data 2.0 kick-off (GET, or POST with Parameters), ``Prefer: respond-async``:
    the worker builds the files of a record system's unit."""
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    if access.context != "system":
        return outcome(403, "forbidden", "Bulk export is for a record system's client bound to a care unit.")
    if "respond-async" not in request.headers.get("Prefer", ""):
        return outcome(400, "invalid", "Send the header Prefer: respond-async.")
    if group_id and PROVIDERS["Group"].read(access, group_id) is None:
        return outcome(404, "not-found", f"Group/{group_id} is not known.")
    try:
        params = _kickoff_params(request)
        since = _instant((params.get("_since") or [""])[-1]) if params.get("_since") else None
        output = (params.get("_outputFormat") or ["application/fhir+ndjson"])[-1]
        if output not in NDJSON_OUTPUT:
            raise Invalid(f"_outputFormat {output} is not served: application/fhir+ndjson only.")
        requested = [t for value in params.get("_type", []) for t in value.split(",") if t]
        unknown = [t for t in requested if t not in PROVIDERS]
        if unknown:
            raise Invalid(f"Unknown types: {', '.join(unknown)}.")
        candidates = requested or [
            t for t, p in PROVIDERS.items() if level == BulkExport.Level.SYSTEM or p.patient_data
        ]
        if level != BulkExport.Level.SYSTEM and any(not PROVIDERS[t].patient_data for t in requested):
            raise Invalid("A Patient or Group export holds the types about patients only.")
        filters = _type_filters(params.get("_typeFilter", []), candidates)
    except Invalid as exc:
        return outcome(400, "invalid", str(exc))
    # The worker exports whole types: a type open to the token only through a narrowed scope is not exported.
    types = [t for t in candidates if access.narrowing(t) == {}]
    if requested and len(types) < len(requested):
        return outcome(403, "forbidden", "The token lacks a scope for some of the types asked for.")
    job = bulk.export_start(
        access=access,
        types=types,
        request_url=request.build_absolute_uri(),
        level=level,
        group=group_id,
        type_filters=filters,
        since=since,
    )
    response = HttpResponse(status=202)
    response["Content-Location"] = request.build_absolute_uri(reverse("fhir_export_status", args=[job.key]))
    return response


def _job_or_404(access: Access, key) -> BulkExport | None:
    job = BulkExport.objects.filter(key=key, application=access.token.application).first()
    if job is None or (job.expires_at and job.expires_at < timezone.now()):
        return None
    return job


@fhir_view("GET", "DELETE")
def export_status(request, key):
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    job = _job_or_404(access, key)
    if job is None:
        return outcome(404, "not-found", "No such export (or it has expired).")
    if request.method == "DELETE":
        bulk.export_delete(job)
        return HttpResponse(status=202)
    if job.status in (BulkExport.Status.QUEUED, BulkExport.Status.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = job.status
        response["Retry-After"] = "5"
        return response
    if job.status == BulkExport.Status.FAILED:
        return outcome(500, "exception", "The export failed; start a new one.")
    manifest = {
        "transactionTime": job.created_at.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": f["type"],
                "url": request.build_absolute_uri(reverse("fhir_export_file", args=[job.key, f["name"]])),
                "count": f["count"],
            }
            for f in job.files
        ],
        "error": [],
    }
    response = JsonResponse(manifest)
    response["Expires"] = job.expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT") if job.expires_at else ""
    return response


@fhir_view("GET")
def export_file(request, key, name: str):
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    job = _job_or_404(access, key)
    entry = next((f for f in job.files if f["name"] == name), None) if job else None
    if job is None or entry is None or not default_storage.exists(bulk.file_path(job, name)):
        return outcome(404, "not-found", "No such file (or it has expired).")
    response = FileResponse(
        default_storage.open(bulk.file_path(job, name), "rb"), content_type="application/fhir+ndjson"
    )
    response["Cache-Control"] = "private, no-store"
    return response
