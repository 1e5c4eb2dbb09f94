"""Journal notes delivered to record systems through their subscriptions to
``journal-note-ready`` (the provider of ``fyren.journal.delivery``): a unit's
record system receives the DocumentReference (or its id, to fetch), and the
clinician sees per note whether it was received, is waiting, or failed and why."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from fyren.journal.delivery import Delivery

from .models import Subscription, SubscriptionEvent
from .subscriptions import LIVE

TOPIC = "journal-note-ready"


def _live(unit_ids):
    now = timezone.now()
    return Subscription.objects.filter(unit_id__in=unit_ids, topic=TOPIC, status__in=LIVE).filter(
        Q(end__isnull=True) | Q(end__gt=now)
    )


class SubscriptionDelivery:
    def receivers(self, unit) -> list[str]:
        names = _live([unit.pk]).values_list("application__name", flat=True).order_by("application__name")
        return list(dict.fromkeys(str(name) for name in names))

    def deliveries(self, exports: list) -> dict[int, list[Delivery]]:
        if not exports:
            return {}
        events = SubscriptionEvent.objects.filter(
            subscription__topic=TOPIC, focus_type="DocumentReference", focus_id__in=[str(e.pk) for e in exports]
        ).select_related("subscription__application")
        out: dict[int, list[Delivery]] = {}
        for event in events.order_by("subscription__application__name", "number"):
            subscription = event.subscription
            name = subscription.application.name if subscription.application else "?"
            if event.delivered_at is not None:
                delivery = Delivery(name, "sent", event.delivered_at, event.answer, event.deliveries)
            elif subscription.failures or subscription.status == Subscription.Status.ERROR:
                retry = subscription.next_attempt_at if subscription.status != Subscription.Status.ERROR else None
                delivery = Delivery(
                    name, "failed", subscription.last_sent_at, subscription.error, event.deliveries, retry
                )
            else:
                delivery = Delivery(name, "waiting", None, "", event.deliveries)
            out.setdefault(int(event.focus_id), []).append(delivery)
        return out


PROVIDER = SubscriptionDelivery()
