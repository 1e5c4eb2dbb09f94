"""The citizen's calendar feed: a secret, revocable address a calendar program
reads without logging in."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from fyren.audit.services import audit_event_write

from .models import CalendarFeed


def calendar_feed_create(*, actor) -> CalendarFeed:
    """A new secret feed address for the user; the old one stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(user=actor, token=secrets.token_urlsafe(32))
        audit_event_write(actor=actor, action="calendar_feed.create", obj=feed)
    return feed


def calendar_feed_revoke(*, actor) -> int:
    with transaction.atomic():
        n = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_event_write(actor=actor, action="calendar_feed.revoke", object_type="booking.CalendarFeed", data={"n": n})
    return n
