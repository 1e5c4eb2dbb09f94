"""Topic-based subscriptions for record systems (FHIR R4 Subscriptions R5
Backport, rest-hook channel): the topics Fyren offers, the events written into
the outbox in the transaction of the change they report, the notification
Bundles, and their delivery by the worker.

    change saved ──(same transaction)──► SubscriptionEvent n ──on commit──► deliver_subscription
                                                                             │ claim (committed)
                                                                             ▼
                                    endpoint 2xx ◄── POST history Bundle (events n…n+k)
                                                      │ refused / no answer
                                                      ▼
                                   failures +1, next attempt after 2, 4, 8 … minutes; at 6: error

At least once: a worker killed after the POST sends the events again (each
event keeps its number, so the receiver spots a repeat or a gap, and ``$events``
fills a gap). The subscription's ``events_count`` counts every event, delivered
or not (``eventsSinceSubscriptionStart``). Every notification that carries a
patient's data is written to the access log as read by the record system."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task, task_backends

from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many, audit_event_write
from fyren.lib.request_context import set_api_client
from fyren.people.selectors import citizens_with_ids

from .access import Access
from .fhir_types import PROVIDERS
from .models import Subscription, SubscriptionEvent, UnitClient

LOG = logging.getLogger(__name__)
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
NOTIFICATION_PROFILE = BACKPORT + "backport-subscription-notification-r4"
SUBSCRIPTION_PROFILE = BACKPORT + "backport-subscription"
MAX_FAILURES = 6  # POSTs failed in a row before the subscription is in error
Status = Subscription.Status
LIVE = (Status.REQUESTED, Status.ACTIVE, Status.ERROR)  # events are written (and counted) for these


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    resource: str  # the focus resource type
    description: str


TOPICS = {
    t.name: t
    for t in (
        Topic(
            "questionnaire-response-completed",
            "Questionnaire answered",
            "QuestionnaireResponse",
            "A patient in a program at the unit submitted a questionnaire.",
        ),
        Topic("urgent-flag-raised", "Urgent flag raised", "Flag", "An urgent flag was raised at the unit."),
        Topic(
            "urgent-flag-acknowledged",
            "Urgent flag acknowledged",
            "Flag",
            "A clinician acknowledged an urgent flag at the unit.",
        ),
        Topic(
            "journal-note-ready",
            "Journal note ready",
            "DocumentReference",
            "A clinician made a journal note of a period of a patient's program.",
        ),
        Topic("enrolment-started", "Program started", "CarePlan", "A patient started a program at the unit."),
        Topic(
            "enrolment-ended",
            "Program ended",
            "CarePlan",
            "A patient's program at the unit ended (completed, discontinued or handed over).",
        ),
        Topic("booking-made", "Visit booked", "Appointment", "A visit at the unit was booked."),
        Topic("booking-moved", "Visit moved", "Appointment", "A visit was moved to another time (the new visit)."),
        Topic("booking-cancelled", "Visit cancelled", "Appointment", "A visit at the unit was cancelled."),
    )
}


def topic_url(name: str) -> str:
    """A topic's canonical URL (Subscription.criteria)."""
    return f"{str(settings.FYREN_PUBLIC_URL).rstrip('/')}/fhir/SubscriptionTopic/{name}"


def topic_named(criteria: str) -> Topic | None:
    """The topic a Subscription's ``criteria`` names, by its canonical (the last
    path segment after ``SubscriptionTopic/``, so the server's own address works
    as well as the configured public one)."""
    head, _sep, name = (criteria or "").split("|")[0].rstrip("/").rpartition("/SubscriptionTopic/")
    return TOPICS.get(name) if head else None


def sending_timeout() -> dt.timedelta:
    """A worker holding a subscription longer than this has died (its events are sent again)."""
    return dt.timedelta(seconds=settings.FYREN_SUBSCRIPTION_SENDING_TIMEOUT)


# --- the outbox: events written with the change ------------------------------------------


@dataclass(frozen=True)
class Event:
    topic: str
    unit_id: int
    focus_type: str
    focus_id: str
    citizen_id: int | None


def record_events(events: list[Event]) -> int:
    """Write each event for every live subscription of its unit and topic (not off,
    not ended; also in error, whose count goes on), numbered in its subscription,
    once per subscription and focus. Runs in the caller's transaction, so an event
    exists exactly when the change it reports was committed; delivery is queued on
    commit. Returns how many were written."""
    if not events:
        return 0
    now = timezone.now()
    live = (
        Subscription.objects.filter(
            unit_id__in={e.unit_id for e in events}, topic__in={e.topic for e in events}, status__in=LIVE
        )
        .filter(Q(end__isnull=True) | Q(end__gt=now))
        .values_list("pk", "unit_id", "topic", "patient_id")
    )
    wanted = [
        (pk, e)
        for pk, unit_id, topic, patient_id in live
        for e in events
        if (unit_id, topic) == (e.unit_id, e.topic) and patient_id in (None, e.citizen_id)
    ]
    written = 0
    with transaction.atomic():
        for pk, event in wanted:
            subscription = Subscription.objects.select_for_update().get(pk=pk)
            seen = SubscriptionEvent.objects.filter(
                subscription=subscription, focus_type=event.focus_type, focus_id=event.focus_id
            )
            if seen.exists():
                continue
            subscription.events_count += 1
            subscription.save(update_fields=["events_count"])
            SubscriptionEvent.objects.create(
                subscription=subscription,
                number=subscription.events_count,
                focus_type=event.focus_type,
                focus_id=event.focus_id,
                citizen_id=event.citizen_id,
                occurred_at=now,
            )
            written += 1
            if subscription.status == Status.ACTIVE:
                transaction.on_commit(functools.partial(deliver_subscription.enqueue, pk))
    return written


# --- notification Bundles ------------------------------------------------------------------


def base_url() -> str:
    return f"{str(settings.FYREN_PUBLIC_URL).rstrip('/')}/fhir"


def subscription_url(subscription: Subscription) -> str:
    return f"{base_url()}/Subscription/{subscription.key}"


def status_parameters(
    subscription: Subscription, kind: str, events: Sequence[SubscriptionEvent] = (), *, content: str = ""
) -> dict:
    """The backport's SubscriptionStatus for R4: a Parameters resource."""
    parameters: list[dict] = [
        {"name": "subscription", "valueReference": {"reference": subscription_url(subscription)}},
        {"name": "topic", "valueCanonical": topic_url(subscription.topic)},
        {"name": "status", "valueCode": subscription.status},
        {"name": "type", "valueCode": kind},
        {"name": "events-since-subscription-start", "valueString": str(subscription.events_count)},
    ]
    for event in events:
        parts: list[dict] = [
            {"name": "event-number", "valueString": str(event.number)},
            {"name": "timestamp", "valueInstant": event.occurred_at.isoformat()},
        ]
        if (content or subscription.content) != Subscription.Content.EMPTY:
            parts.append({"name": "focus", "valueReference": {"reference": f"{event.focus_type}/{event.focus_id}"}})
        parameters.append({"name": "notification-event", "part": parts})
    if subscription.status == Status.ERROR and subscription.error:
        parameters.append(
            {
                "name": "error",
                "valueCodeableConcept": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/subscription-error", "code": "no-response"}
                    ],
                    "text": subscription.error,
                },
            }
        )
    return {
        "resourceType": "Parameters",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [BACKPORT + "backport-subscription-status-r4"]},
        "parameter": parameters,
    }


def system_access(subscription: Subscription) -> Access | None:
    """What the subscription's record system may read now (its unit client's unit),
    for full resources; None when the client is no longer bound to that unit."""
    binding = UnitClient.objects.select_related("unit").filter(application=subscription.application_id).first()
    if binding is None or binding.unit_id != subscription.unit_id or not binding.unit.is_active_on():
        return None
    topic = TOPICS[subscription.topic]
    name = subscription.application.name if subscription.application else "API"
    return Access("system", None, {f"system/{topic.resource}.rs"}, name, units=[binding.unit])  # type: ignore[arg-type]


def notification_bundle(
    subscription: Subscription, kind: str, events: Sequence[SubscriptionEvent] = (), *, content: str = ""
) -> dict:
    """A history Bundle: the status first (as a ``$status`` request), then, for
    full-resource subscriptions, each event's focus as the record system may read
    it now (a focus it may no longer read is left out; the event still counts)."""
    content = content or subscription.content  # $events may ask for another content than the subscription's
    status = status_parameters(subscription, kind, events, content=content)
    entries = [
        {
            "fullUrl": f"urn:uuid:{status['id']}",
            "resource": status,
            "request": {"method": "GET", "url": f"{subscription_url(subscription)}/$status"},
            "response": {"status": "200"},
        }
    ]
    if content == Subscription.Content.FULL and events:
        access = system_access(subscription)
        provider = PROVIDERS[TOPICS[subscription.topic].resource]
        for event in events:
            found = provider.read(access, event.focus_id) if access is not None else None
            if found is None:
                continue
            entries.append(
                {
                    "fullUrl": f"{base_url()}/{event.focus_type}/{event.focus_id}",
                    "resource": found.resource,
                    "request": {"method": "PUT", "url": f"{event.focus_type}/{event.focus_id}"},
                    "response": {"status": "200"},
                }
            )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [NOTIFICATION_PROFILE]},
        "type": "history",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }


def log_delivery(subscription: Subscription, events: list[SubscriptionEvent]) -> None:
    """The patients a notification names are read by the record system (system via <client>)."""
    if subscription.content == Subscription.Content.EMPTY:
        return
    ids = {e.citizen_id for e in events if e.citizen_id is not None}
    if not ids:
        return
    set_api_client(subscription.application.name if subscription.application else "API")
    try:
        access_log_write_many(
            actor=None,
            citizens=citizens_with_ids(ids),
            unit=subscription.unit,
            role="system",
            action=AccessLogEntry.Action.READ,
            object_type="fhir:Subscription",
            object_id=str(subscription.key),
        )
    finally:
        set_api_client("")


# --- delivery --------------------------------------------------------------------------------


def post(subscription: Subscription, bundle: dict) -> str:
    """POST the Bundle to the endpoint; the answer ("200 OK"), or raises on anything but 2xx."""
    body = json.dumps(bundle, ensure_ascii=False).encode()
    request = urllib.request.Request(subscription.endpoint, data=body, method="POST")  # noqa: S310 - checked at create
    request.add_header("Content-Type", "application/fhir+json")
    for header in subscription.headers:
        name, _sep, value = str(header).partition(":")
        if name.strip() and value.strip():
            request.add_header(name.strip(), value.strip())
    with urllib.request.urlopen(request, timeout=subscription.timeout) as answer:  # noqa: S310
        if not 200 <= answer.status < 300:
            raise urllib.error.HTTPError(subscription.endpoint, answer.status, "not 2xx", answer.headers, None)
        return f"{answer.status} {answer.reason}".strip()[:80]


def _claim(pk: int, statuses: tuple) -> Subscription | None:
    """Take the subscription for this worker (committed on return), or None when
    another live worker holds it, it is not in ``statuses`` or its retry is not due."""
    now = timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().select_related("application", "unit").filter(pk=pk).first()
        )
        if subscription is None or subscription.status not in statuses:
            return None
        if subscription.sending_since and subscription.sending_since > now - sending_timeout():
            return None
        if subscription.next_attempt_at and subscription.next_attempt_at > now:
            return None
        subscription.sending_since = now
        subscription.save(update_fields=["sending_since"])
    return subscription


def _failed(subscription: Subscription, error: str) -> None:
    failures = subscription.failures + 1
    deferrable = task_backends[deliver_subscription.backend].supports_defer
    gave_up = failures >= MAX_FAILURES or subscription.status == Status.REQUESTED  # a failed handshake: error at once
    next_at = None if gave_up else timezone.now() + dt.timedelta(minutes=2**failures if deferrable else 0)
    Subscription.objects.filter(pk=subscription.pk).update(
        failures=failures,
        next_attempt_at=next_at,
        sending_since=None,
        error=error[:300],
        status=Status.ERROR if gave_up else subscription.status,
    )
    LOG.warning("Subscription %s: the endpoint failed (%s), %d in a row", subscription.key, error, failures)
    if not gave_up:
        (deliver_subscription.using(run_after=next_at) if deferrable else deliver_subscription).enqueue(subscription.pk)


def _sent(subscription: Subscription, **changes) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(
        failures=0, next_attempt_at=None, sending_since=None, error="", last_sent_at=timezone.now(), **changes
    )


@task()
def deliver_subscription(subscription_id: int) -> str:
    """Send a requested subscription's handshake, or an active one's undelivered
    events in order (``max_count`` to a notification, notification after
    notification). The row decides what is due: running it twice sends nothing more."""
    subscription = _claim(subscription_id, (Status.REQUESTED, Status.ACTIVE))
    if subscription is None:
        return "skipped"
    if subscription.status == Status.REQUESTED:
        try:
            post(subscription, notification_bundle(subscription, "handshake"))
        except Exception as exc:  # any failure of the endpoint
            _failed(subscription, f"handshake: {exc}")
            return "failed"
        _sent(subscription, status=Status.ACTIVE)
        subscription.status = Status.ACTIVE
        subscription.sending_since = timezone.now()  # still held: go on with what happened meanwhile
    sent = 0
    while True:
        events = list(
            SubscriptionEvent.objects.filter(subscription=subscription, delivered_at__isnull=True).order_by("number")[
                : subscription.max_count
            ]
        )
        if not events:
            break
        SubscriptionEvent.objects.filter(pk__in=[e.pk for e in events]).update(deliveries=F("deliveries") + 1)
        try:
            answer = post(subscription, notification_bundle(subscription, "event-notification", events))
        except Exception as exc:  # any failure of the endpoint
            _failed(subscription, str(exc))
            return "failed"
        log_delivery(subscription, events)
        now = timezone.now()
        SubscriptionEvent.objects.filter(pk__in=[e.pk for e in events]).update(delivered_at=now, answer=answer)
        # Still holding it: a long burst is not taken for a dead worker's by another worker.
        Subscription.objects.filter(pk=subscription.pk).update(sending_since=now)
        sent += len(events)
    _sent(subscription)
    return f"sent {sent}"


@task()
def send_heartbeat(subscription_id: int) -> str:
    subscription = _claim(subscription_id, (Status.ACTIVE,))
    if subscription is None:
        return "skipped"
    try:
        post(subscription, notification_bundle(subscription, "heartbeat"))
    except Exception as exc:  # any failure of the endpoint
        _failed(subscription, f"heartbeat: {exc}")
        return "failed"
    _sent(subscription)
    return "sent"


def subscriptions_sweep(*, now=None) -> dict[str, int]:
    """Queue what has stalled or is due: handshakes not sent, events not
    delivered (a lost task, a worker that died holding the subscription, a retry
    that is due) and heartbeats. Safe to run as often as wanted."""
    now = now or timezone.now()
    free = Q(sending_since__isnull=True) | Q(sending_since__lt=now - sending_timeout())
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    live = Subscription.objects.filter(free, due).filter(Q(end__isnull=True) | Q(end__gt=now))
    pending = live.filter(
        Q(status=Status.REQUESTED)
        | Q(
            status=Status.ACTIVE,
            pk__in=SubscriptionEvent.objects.filter(delivered_at__isnull=True).values("subscription"),
        )
    )
    counts = {"delivery": 0, "heartbeat": 0}
    for pk in pending.values_list("pk", flat=True)[:5000]:
        deliver_subscription.enqueue(pk)
        counts["delivery"] += 1
    for subscription in live.filter(status=Status.ACTIVE, heartbeat_period__isnull=False).exclude(
        pk__in=pending.values("pk")
    ):
        last = subscription.last_sent_at or subscription.created_at
        if last + dt.timedelta(seconds=subscription.heartbeat_period or 0) <= now:
            send_heartbeat.enqueue(subscription.pk)
            counts["heartbeat"] += 1
    return counts


def events_expire(*, now=None) -> int:
    """Forget delivered events older than ``FYREN_SUBSCRIPTION_EVENT_DAYS`` (what
    ``$events`` can give again); undelivered ones stay until delivered."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.FYREN_SUBSCRIPTION_EVENT_DAYS)
    removed, _by_type = SubscriptionEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return removed


# --- the record system's writes (fhir_subscriptions.py checks the token and the body) ------------------


def _queue_if_due(subscription: Subscription) -> None:
    """A requested subscription shakes hands; an active one sends what it owes."""
    if subscription.status in (Status.REQUESTED, Status.ACTIVE):
        transaction.on_commit(functools.partial(deliver_subscription.enqueue, subscription.pk))


def subscription_create(*, application, unit, client: str, fields: dict) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.create(application=application, unit=unit, **fields)
        audit_event_write(
            actor=None,
            action="subscription.create",
            obj=subscription,
            unit=unit,
            data={"topic": subscription.topic, "client": client},
        )
        _queue_if_due(subscription)
    return subscription


def subscription_update(*, subscription: Subscription, client: str, fields: dict) -> Subscription:
    """Set what the client sent (its topic stays); asked for again, it starts afresh:
    a handshake unless it is active already, and every event it owes."""
    with transaction.atomic():
        if fields["status"] == Status.REQUESTED and subscription.status == Status.ACTIVE:
            fields = {**fields, "status": Status.ACTIVE}  # already shaken hands
        for name, value in fields.items():
            setattr(subscription, name, value)
        subscription.failures, subscription.next_attempt_at, subscription.error = 0, None, ""
        subscription.save()
        audit_event_write(
            actor=None,
            action="subscription.update",
            obj=subscription,
            unit=subscription.unit,
            data={"status": subscription.status, "client": client},
        )
        _queue_if_due(subscription)
    return subscription


def subscription_delete(*, subscription: Subscription, client: str) -> None:
    with transaction.atomic():
        audit_event_write(
            actor=None, action="subscription.delete", obj=subscription, unit=subscription.unit, data={"client": client}
        )
        subscription.delete()
