import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One content-free notice to a citizen by e-mail or SMS ("You have something
    new in Fyren"). One row per event and channel, so an event is never sent
    twice; every attempt's outcome is kept."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        # queued → sending (committed before the provider is called) → sent;
        # or → failed (tried again at next_attempt_at) → … → gave_up.
        PENDING = "pending", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be tried again")
        GAVE_UP = "gave_up", _("Failed, given up")

    citizen = models.ForeignKey("people.Citizen", on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=30)
    event_key = models.CharField(max_length=80)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    address = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Passed to the provider with every attempt, so one that supports it sends a notice once.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sending_since = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Times a worker died after claiming the notice, so it was sent again: each may be a duplicate.
    redeliveries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "messaging_notification"  # made when notices were part of messaging
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["event_key", "channel"], name="one_notice_per_event_channel")]
        indexes = [models.Index(fields=["status", "created_at"])]
