"""Content-free notices to citizens: health content never leaves by e-mail or
SMS; the text only says that something new is waiting in Fyren. Any app raises
one with ``notify``; the worker delivers it (``tasks``)."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from .models import Notification
from .tasks import deliver_notification

EVENTS = ("program_started", "questionnaire_due", "feedback", "new_message", "inactivity", "appointment")


def notify(*, citizen, event: str, event_key: str) -> list[Notification]:
    """Queue a notice on every channel the citizen has chosen. The same event
    key is never queued twice on a channel."""
    if event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    made = []
    channels = []
    if citizen.notify_email and citizen.email:
        channels.append((Notification.Channel.EMAIL, citizen.email))
    if citizen.notify_sms and citizen.mobile:
        channels.append((Notification.Channel.SMS, citizen.mobile))
    for channel, address in channels:
        notification, created = Notification.objects.get_or_create(
            event_key=event_key,
            channel=channel,
            defaults={"citizen": citizen, "event": event, "address": address},
        )
        if created:
            made.append(notification)
            transaction.on_commit(partial(_enqueue, notification.pk))
    return made


def _enqueue(notification_id: int) -> None:
    deliver_notification.enqueue(notification_id)
