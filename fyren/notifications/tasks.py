"""Delivering notices in the background (django-tasks), as a small state machine
that survives a worker killed at any moment.

    queued ──claim (committed)──► sending ──provider accepts──► sent
                                     │
                                     └─provider refuses──► failed (next_attempt_at) ──► … ──► gave_up

The claim is committed before the provider is called, so a crash leaves the
notice "sending", never "queued" after it may have gone out. A task is only a
trigger: the row decides. Running the task twice, or for a notice another
worker holds, sends nothing more. ``notifications_sweep`` re-queues notices
whose worker died (stuck "sending" past ``FYREN_NOTIFY_SENDING_TIMEOUT``),
whose task was lost (queued too long) and whose retry is due. A notice sent
again after a stuck "sending" may reach the citizen twice: at-least-once, each
such resend counted in ``redeliveries`` and logged (decisions.md #41)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task, task_backends

from .models import Notification
from .sms import get_backend
from .texts import notification_text

LOG = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
Status = Notification.Status


def _claim(notification_id: int) -> Notification | None:
    """Take the notice for this worker (committed on return), or None when there
    is nothing to do: sent, given up, not due, or held by a live worker."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.FYREN_NOTIFY_SENDING_TIMEOUT)
    with transaction.atomic():
        notice = Notification.objects.select_for_update().select_related("citizen").filter(pk=notification_id).first()
        if notice is None or notice.status in (Status.SENT, Status.GAVE_UP):
            return None
        if notice.status == Status.SENDING:
            if notice.sending_since and notice.sending_since > stale:
                return None  # another worker is sending it now
            notice.redeliveries += 1
            LOG.warning(
                "Notice %s was left 'sending' since %s (its worker died); sending it again: it may arrive twice",
                notice.pk,
                notice.sending_since,
            )
        if notice.status == Status.FAILED and notice.next_attempt_at and notice.next_attempt_at > now:
            return None  # its retry is not due yet
        notice.status, notice.sending_since = Status.SENDING, now
        notice.attempts += 1
        notice.save(update_fields=["status", "sending_since", "attempts", "redeliveries"])
    return notice


def _send(notice: Notification) -> None:
    subject, body = notification_text(notice.citizen.preferred_language)
    key = str(notice.idempotency_key)
    if notice.channel == Notification.Channel.EMAIL:
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notice.address],
            # The same Message-ID on every attempt: mail systems that see it twice keep one.
            headers={"Message-ID": f"<{key}@notice.fyren>", "X-Fyren-Notice": key},
        ).send()
    else:
        get_backend().send(notice.address, body.split("\n")[0], idempotency_key=key)


@task()
def deliver_notification(notification_id: int) -> str:
    notice = _claim(notification_id)
    if notice is None:
        return "skipped"
    try:
        _send(notice)
    except Exception as exc:  # any delivery failure is recorded and retried
        error = str(exc)[:300]
        retry = notice.attempts < MAX_ATTEMPTS
        deferrable = task_backends[deliver_notification.backend].supports_defer
        # Back-off 2, 4, 8, 16 minutes; a backend that cannot defer (tests) retries at once.
        next_at = (timezone.now() + timedelta(minutes=2**notice.attempts if deferrable else 0)) if retry else None
        Notification.objects.filter(pk=notice.pk).update(
            status=Status.FAILED if retry else Status.GAVE_UP,
            last_error=error,
            next_attempt_at=next_at,
            sending_since=None,
        )
        if retry:
            (deliver_notification.using(run_after=next_at) if deferrable else deliver_notification).enqueue(notice.pk)
        return "failed"
    Notification.objects.filter(pk=notice.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", sending_since=None, next_attempt_at=None
    )
    return "sent"


def notifications_sweep(*, now=None) -> dict[str, int]:
    """Queue again every notice whose delivery has stalled. Safe to run as
    often as wanted and from several places: a duplicate trigger sends nothing."""
    now = now or timezone.now()
    stuck = Q(status=Status.SENDING, sending_since__lt=now - timedelta(seconds=settings.FYREN_NOTIFY_SENDING_TIMEOUT))
    lost = Q(status=Status.PENDING, created_at__lt=now - timedelta(seconds=settings.FYREN_NOTIFY_QUEUED_TIMEOUT))
    due = Q(
        status=Status.FAILED,
        next_attempt_at__lt=now - timedelta(seconds=settings.FYREN_NOTIFY_QUEUED_TIMEOUT),
    )
    counts = {}
    for name, condition in (("stuck_sending", stuck), ("lost_queued", lost), ("retry_due", due)):
        ids = list(Notification.objects.filter(condition).values_list("pk", flat=True)[:5000])
        for pk in ids:
            deliver_notification.enqueue(pk)
        counts[name] = len(ids)
    if any(counts.values()):
        LOG.warning("Notice sweep re-queued %s", counts)
    return counts
