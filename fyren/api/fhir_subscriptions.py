"""``/fhir/Subscription``: a record system's topic-based subscriptions (R4
Subscriptions Backport). Create, read, search, update and delete its own
(``system/Subscription.cruds``), ``$status`` and ``$events``. Another client's
subscription is 404, as if it did not exist. Delivery is ``subscriptions.py``."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime

from . import subscriptions
from .access import Access
from .fhir import _json, _log, fhir_view, json_body, outcome, system_access
from .fhir_types.params import Found, ids
from .fhir_types.scope import visible_citizens
from .models import Subscription, SubscriptionEvent

B = subscriptions.BACKPORT
FILTER, CONTENT = B + "backport-filter-criteria", B + "backport-payload-content"
HEARTBEAT, TIMEOUT, MAX_COUNT = B + "backport-heartbeat-period", B + "backport-timeout", B + "backport-max-count"
PAYLOADS = ("application/fhir+json", "application/json")
MAX_EVENTS = 500  # events one $events answer holds at the most


class Refused(ValueError):
    """The Subscription cannot be accepted: the message says why (422)."""


def resource(subscription: Subscription) -> dict:
    topic = subscriptions.TOPICS[subscription.topic]
    channel: dict = {
        "type": "rest-hook",
        "endpoint": subscription.endpoint,
        "payload": "application/fhir+json",
        "_payload": {"extension": [{"url": CONTENT, "valueCode": subscription.content}]},
        "extension": [
            {"url": TIMEOUT, "valueUnsignedInt": subscription.timeout},
            {"url": MAX_COUNT, "valuePositiveInt": subscription.max_count},
        ],
    }
    if subscription.heartbeat_period:
        channel["extension"].insert(0, {"url": HEARTBEAT, "valueUnsignedInt": subscription.heartbeat_period})
    if subscription.headers:
        channel["header"] = list(subscription.headers)
    body: dict = {
        "resourceType": "Subscription",
        "id": str(subscription.key),
        "meta": {"profile": [subscriptions.SUBSCRIPTION_PROFILE], "lastUpdated": subscription.created_at.isoformat()},
        "status": subscription.status,
        "reason": subscription.reason or topic.title,
        "criteria": subscriptions.topic_url(subscription.topic),
        "channel": channel,
    }
    if subscription.patient_id:
        body["_criteria"] = {
            "extension": [{"url": FILTER, "valueString": f"{topic.resource}?patient=Patient/{subscription.patient_id}"}]
        }
    if subscription.end:
        body["end"] = subscription.end.isoformat()
    if subscription.error:
        body["error"] = subscription.error
    return body


def _extension(element: dict, url: str):
    for extension in element.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == url:
            return next((v for k, v in extension.items() if k.startswith("value")), None)
    return None


def _number(value, name: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"{name} must be a whole number from {low} to {high}.")
    return value


def fields_from(body, access: Access) -> dict:
    """The model's fields from a Subscription resource, or :class:`Refused`
    naming what cannot be accepted (the backport: an unknown topic, filter,
    channel or payload content SHALL be refused)."""
    if not isinstance(body, dict) or body.get("resourceType") != "Subscription":
        raise Refused("The body must be a Subscription resource.")
    topic = subscriptions.topic_named(str(body.get("criteria") or ""))
    if topic is None:
        known = ", ".join(subscriptions.topic_url(name) for name in subscriptions.TOPICS)
        raise Refused(f"Subscription.criteria must name one of this server's topics: {known}.")
    patient = None
    for value in [_extension(e, FILTER) for e in [body.get("_criteria") or {}]] if body.get("_criteria") else []:
        if value is None:
            continue
        query = str(value).split("?", 1)[-1]
        name, _eq, reference = query.partition("=")
        if name not in ("patient", "subject") or not reference or "&" in query:
            raise Refused("The only filter this server applies is patient=Patient/<id>.")
        wanted = ids([reference], "Patient/")
        patient = visible_citizens(access).filter(pk__in=wanted).first() if wanted else None
        if patient is None:
            raise Refused(f"The filter's patient {reference} is not a patient of the unit.")
    channel = body.get("channel") or {}
    if channel.get("type") != "rest-hook":
        raise Refused("Subscription.channel.type must be rest-hook.")
    endpoint = str(channel.get("endpoint") or "")
    scheme = urlsplit(endpoint).scheme
    if not urlsplit(endpoint).netloc or scheme not in ("https", "http"):
        raise Refused("Subscription.channel.endpoint must be an https address.")
    if scheme == "http" and not getattr(settings, "FYREN_SUBSCRIPTION_HTTP_ALLOWED", False):
        raise Refused("Subscription.channel.endpoint must use https: health data is not sent in the clear.")
    payload = str(channel.get("payload") or "application/fhir+json").split(";")[0].strip()
    if payload not in PAYLOADS:
        raise Refused("Subscription.channel.payload must be application/fhir+json.")
    content = _extension(channel.get("_payload") or {}, CONTENT) or Subscription.Content.ID_ONLY
    if content not in Subscription.Content.values:
        raise Refused("The payload content must be empty, id-only or full-resource.")
    if content == Subscription.Content.FULL and not access.allows(topic.resource, "r"):
        raise Refused(f"full-resource needs a scope to read {topic.resource}; ask for id-only, or for the scope.")
    headers = channel.get("header") or []
    if not isinstance(headers, list) or not all(isinstance(h, str) and ":" in h and len(h) <= 1000 for h in headers):
        raise Refused("Subscription.channel.header must be a list of 'Name: value' strings.")
    end = None
    if body.get("end"):
        end = parse_datetime(str(body["end"]))
        if end is None or end.tzinfo is None:
            raise Refused("Subscription.end must be an instant with a time zone.")
    status = body.get("status") or "requested"
    if status not in ("requested", "active", "off"):
        raise Refused("A client sets Subscription.status to requested, active or off.")
    return {
        "topic": topic.name,
        "patient": patient,
        "endpoint": endpoint,
        "headers": headers[:20],
        "content": content,
        "reason": str(body.get("reason") or "")[:300],
        "heartbeat_period": _number(_extension(channel, HEARTBEAT), "The heartbeat period", 10, 86400),
        "timeout": _number(_extension(channel, TIMEOUT), "The timeout", 1, 60) or 10,
        "max_count": _number(_extension(channel, MAX_COUNT), "The largest number of events", 1, 100) or 20,
        "end": end,
        "status": Subscription.Status.OFF if status == "off" else Subscription.Status.REQUESTED,
    }


def _subscription_access(request, interaction: str) -> Access | JsonResponse:
    return system_access(request, "Subscription", interaction)


def _own(access: Access, key: str) -> Subscription | None:
    """The client's own subscription at its unit; None for another's or a malformed id (the same 404)."""
    try:
        uuid.UUID(str(key))
    except ValueError:
        return None
    return (
        Subscription.objects.select_related("application", "unit")
        .filter(key=key, application=access.token.application, unit=access.units[0])
        .first()
    )


@fhir_view("GET", "POST")
def collection(request):
    """``POST [base]/Subscription`` (create) and ``GET [base]/Subscription`` (the client's own)."""
    if request.method == "POST":
        access = _subscription_access(request, "c")
        if isinstance(access, JsonResponse):
            return access
        try:
            fields = fields_from(json_body(request), access)
        except Refused as refusal:
            return outcome(422, "processing", str(refusal))
        subscription = subscriptions.subscription_create(
            application=access.token.application, unit=access.units[0], client=access.client, fields=fields
        )
        response = _json(resource(subscription), status=201)
        response["Location"] = f"{subscriptions.base_url()}/Subscription/{subscription.key}"
        return response
    access = _subscription_access(request, "s")
    if isinstance(access, JsonResponse):
        return access
    rows = Subscription.objects.filter(application=access.token.application, unit=access.units[0])
    if request.GET.get("status"):
        rows = rows.filter(status__in=request.GET["status"].split(","))
    entries = [
        {
            "fullUrl": f"{subscriptions.base_url()}/Subscription/{s.key}",
            "resource": resource(s),
            "search": {"mode": "match"},
        }
        for s in rows[:500]
    ]
    return _json({"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries})


@fhir_view("GET", "PUT", "DELETE")
def instance(request, key: str):
    """``GET``, ``PUT`` (status, channel, end; the topic stays) and ``DELETE``."""
    interaction = {"GET": "r", "HEAD": "r", "PUT": "u", "DELETE": "d"}[request.method]
    access = _subscription_access(request, interaction)
    if isinstance(access, JsonResponse):
        return access
    subscription = _own(access, key)
    if subscription is None:
        return outcome(404, "not-found", f"Subscription/{key} is not known.")
    if request.method == "DELETE":
        subscriptions.subscription_delete(subscription=subscription, client=access.client)
        return HttpResponse(status=204)
    if request.method == "PUT":
        body = json_body(request)
        if isinstance(body, dict) and body.get("id") not in (None, str(subscription.key)):
            return outcome(400, "invalid", "The id in the body is not the id in the address.")
        try:
            fields = fields_from(body, access)
        except Refused as refusal:
            return outcome(422, "processing", str(refusal))
        if fields["topic"] != subscription.topic:
            return outcome(422, "processing", "A subscription's topic cannot change: create another subscription.")
        subscription = subscriptions.subscription_update(subscription=subscription, client=access.client, fields=fields)
    return _json(resource(subscription))


@fhir_view("GET", "POST")
def status(request, key: str = ""):
    """``$status``: a searchset of the subscription's status (``query-status``)."""
    access = _subscription_access(request, "r")
    if isinstance(access, JsonResponse):
        return access
    keys = [key] if key else ",".join(request.GET.getlist("id")).split(",")
    entries = []
    for one in keys:
        subscription = _own(access, one) if one else None
        if subscription is None:
            if key:
                return outcome(404, "not-found", f"Subscription/{one} is not known.")
            continue
        parameters = subscriptions.status_parameters(subscription, "query-status")
        entries.append({"fullUrl": f"urn:uuid:{parameters['id']}", "resource": parameters, "search": {"mode": "match"}})
    return _json({"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries})


def _event_number(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit() or len(str(value)) > 18:
        raise Refused(f"{name} must be an event number.")
    return int(value)


@fhir_view("GET", "POST")
def events(request, key: str):
    """``$events``: the subscription's events from ``eventsSinceNumber`` to
    ``eventsUntilNumber`` (both included), as a history Bundle like a
    notification (``query-event``), to fill a gap after downtime."""
    access = _subscription_access(request, "r")
    if isinstance(access, JsonResponse):
        return access
    subscription = _own(access, key)
    if subscription is None:
        return outcome(404, "not-found", f"Subscription/{key} is not known.")
    query = request.POST if request.method == "POST" else request.GET
    try:
        since = _event_number(query.get("eventsSinceNumber"), "eventsSinceNumber")
        until = _event_number(query.get("eventsUntilNumber"), "eventsUntilNumber")
    except Refused as refusal:
        return outcome(400, "invalid", str(refusal))
    content = query.get("content") or subscription.content
    if content not in Subscription.Content.values:
        return outcome(400, "invalid", "content must be empty, id-only or full-resource.")
    if content == Subscription.Content.FULL and not access.allows(
        subscriptions.TOPICS[subscription.topic].resource, "r"
    ):
        return outcome(403, "forbidden", "full-resource needs a scope to read the topic's resources.")
    rows = SubscriptionEvent.objects.filter(subscription=subscription).order_by("number")
    if since is not None:
        rows = rows.filter(number__gte=since)
    if until is not None:
        rows = rows.filter(number__lte=until)
    found = list(rows[:MAX_EVENTS])
    bundle = subscriptions.notification_bundle(subscription, "query-event", found, content=content)
    if content != Subscription.Content.EMPTY:
        _log(
            access,
            [Found(f"{e.focus_type}/{e.focus_id}", {}, e.citizen_id) for e in found],
            resource_type="Subscription",
            object_id=str(subscription.key),
        )
    return _json(bundle)
