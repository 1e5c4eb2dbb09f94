"""Delivering notices in the background (django-tasks), retried on failure."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .models import Notification
from .sms import get_backend

MAX_ATTEMPTS = 5


@task()
def deliver_notification(notification_id: int) -> str:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("citizen").filter(pk=notification_id).first()
        )
        if notification is None or notification.status == Notification.Status.SENT:
            return "skipped"
        from .services import notification_text

        subject, body = notification_text(notification.citizen.preferred_language)
        notification.attempts += 1
        try:
            if notification.channel == Notification.Channel.EMAIL:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.address])
            else:
                get_backend().send(notification.address, body.split("\n")[0])
        except Exception as exc:  # any delivery failure is recorded and retried
            notification.status, notification.last_error = Notification.Status.FAILED, str(exc)[:300]
            notification.save(update_fields=["status", "last_error", "attempts"])
            retry = notification.attempts < MAX_ATTEMPTS
        else:
            notification.status, notification.sent_at, notification.last_error = (
                Notification.Status.SENT,
                timezone.now(),
                "",
            )
            notification.save(update_fields=["status", "sent_at", "last_error", "attempts"])
            return "sent"
    if retry:
        delay = timedelta(minutes=2**notification.attempts)
        backend = task_backends[deliver_notification.backend]
        retried = (
            deliver_notification.using(run_after=timezone.now() + delay)
            if backend.supports_defer
            else deliver_notification
        )
        retried.enqueue(notification_id)
    return "failed"
