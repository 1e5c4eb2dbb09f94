"""Content-free notifications. Health content never leaves by e-mail or SMS:
the text only says that something new is waiting in Fyren."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Notification

EVENTS = ("program_started", "questionnaire_due", "feedback", "new_message", "inactivity")


def notification_text(language: str) -> tuple[str, str]:
    """(subject, body) in the citizen's language. Deliberately says nothing about health."""
    with translation.override(language):
        return (
            _("Something new in Fyren"),
            _(
                "You have something new in Fyren. Log in to read it.\n\nThis message was sent automatically. "
                "You can stop these notices under Contact details in Fyren."
            ),
        )


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
            transaction.on_commit(lambda pk=notification.pk: _enqueue(pk))
    return made


def _enqueue(notification_id: int) -> None:
    from .tasks import deliver_notification

    deliver_notification.enqueue(notification_id)
