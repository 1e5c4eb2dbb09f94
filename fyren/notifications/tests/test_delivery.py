"""Notice delivery as a state machine: claimed (and committed) before the
provider is called, never sent twice by two triggers, re-queued by the sweep
when a worker died, with the notice's idempotency key passed on."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from fyren.notifications import sms
from fyren.notifications.models import Notification
from fyren.notifications.services import notify
from fyren.notifications.tasks import deliver_notification, notifications_sweep

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def opted_in(world, settings):
    settings.FYREN_SMS_BACKEND = "fyren.notifications.sms.MemorySmsBackend"
    sms.outbox.clear()
    sms.MemorySmsBackend.fail_next = 0
    world.patient.mobile, world.patient.notify_sms = "+46701234567", True
    world.patient.email, world.patient.notify_email = "pia@example.org", True
    world.patient.save()
    return world


def _notice(world, status, **fields):
    return Notification.objects.create(
        citizen=world.patient,
        event="feedback",
        event_key=f"k:{uuid.uuid4()}",
        channel="sms",
        address="+46701234567",
        status=status,
        **fields,
    )


def test_the_notice_is_claimed_before_the_provider_is_called_with_its_key(opted_in, monkeypatch):
    seen = []

    def send(self, to, text, idempotency_key=""):
        row = Notification.objects.get(channel="sms")
        seen.append((row.status, row.attempts, idempotency_key))

    monkeypatch.setattr(sms.MemorySmsBackend, "send", send)
    notify(citizen=opted_in.patient, event="feedback", event_key="feedback:1")
    notice = Notification.objects.get(channel="sms")
    assert seen == [("sending", 1, str(notice.idempotency_key))]
    assert notice.status == "sent" and notice.sending_since is None


def test_an_e_mail_carries_the_same_message_id_on_every_attempt(opted_in):
    mail.outbox.clear()
    notify(citizen=opted_in.patient, event="feedback", event_key="feedback:2")
    notice = Notification.objects.get(channel="email")
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{notice.idempotency_key}@notice.fyren>"


def test_a_second_trigger_for_a_sent_or_held_notice_sends_nothing(opted_in):
    sent = _notice(opted_in, "sent")
    held = _notice(opted_in, "sending", sending_since=timezone.now())
    assert deliver_notification.call(sent.pk) == "skipped"
    assert deliver_notification.call(held.pk) == "skipped"
    assert sms.outbox == []


def test_a_notice_left_sending_by_a_dead_worker_is_sent_again_and_counted(opted_in, settings):
    settings.FYREN_NOTIFY_SENDING_TIMEOUT = 60
    stuck = _notice(opted_in, "sending", sending_since=timezone.now() - dt.timedelta(minutes=5), attempts=1)
    assert deliver_notification.call(stuck.pk) == "sent"
    stuck.refresh_from_db()
    assert stuck.status == "sent" and stuck.redeliveries == 1 and stuck.attempts == 2
    assert len(sms.outbox) == 1


def test_a_retry_is_not_sent_before_it_is_due(opted_in):
    later = _notice(opted_in, "failed", next_attempt_at=timezone.now() + dt.timedelta(minutes=8), attempts=2)
    assert deliver_notification.call(later.pk) == "skipped"


def test_the_sweep_requeues_stalled_notices_only(opted_in, settings):
    settings.FYREN_NOTIFY_SENDING_TIMEOUT = 60
    settings.FYREN_NOTIFY_QUEUED_TIMEOUT = 60
    old = timezone.now() - dt.timedelta(minutes=10)
    stuck = _notice(opted_in, "sending", sending_since=old, attempts=1)
    lost = _notice(opted_in, "pending", created_at=old)
    due = _notice(opted_in, "failed", next_attempt_at=old, attempts=1)
    fresh = [
        _notice(opted_in, "pending"),
        _notice(opted_in, "sending", sending_since=timezone.now(), attempts=1),
        _notice(opted_in, "failed", next_attempt_at=timezone.now() + dt.timedelta(minutes=4), attempts=1),
        _notice(opted_in, "gave_up", created_at=old, attempts=5),
        _notice(opted_in, "sent", created_at=old, attempts=1),
    ]
    counts = notifications_sweep()
    assert counts == {"stuck_sending": 1, "lost_queued": 1, "retry_due": 1}
    for notice in (stuck, lost, due):
        notice.refresh_from_db()
        assert notice.status == "sent"
    assert [n.status for n in Notification.objects.filter(pk__in=[f.pk for f in fresh]).order_by("pk")] == [
        "pending",
        "sending",
        "failed",
        "gave_up",
        "sent",
    ]
    assert len(sms.outbox) == 3
