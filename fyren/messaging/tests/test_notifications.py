import pytest
from django.core import mail
from django.core.management import call_command

from fyren.notifications import sms
from fyren.notifications.models import Notification
from fyren.notifications.services import notify
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def opted_in(world):
    world.patient.email, world.patient.mobile = "pia@example.org", "+46701234567"
    world.patient.notify_email = world.patient.notify_sms = True
    world.patient.save()
    return world


def test_nothing_is_sent_without_opting_in(world):
    world.patient.email = "pia@example.org"
    world.patient.save()
    assert notify(citizen=world.patient, event="feedback", event_key="x:1") == []
    assert mail.outbox == [] and sms.outbox == []


def test_a_notice_goes_by_each_chosen_channel_with_no_health_content(opted_in):
    notify(citizen=opted_in.patient, event="questionnaire_due", event_key="send:1")
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    text = mail.outbox[0].subject + mail.outbox[0].body + sms.outbox[0][1]
    assert "Fyren" in text
    for health_word in ("PHQ", "depress", "nedstämd", "formulär", "questionnaire", "program"):
        assert health_word.lower() not in text.lower()
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_the_same_event_is_never_sent_twice(opted_in):
    notify(citizen=opted_in.patient, event="questionnaire_due", event_key="send:1")
    notify(citizen=opted_in.patient, event="questionnaire_due", event_key="send:1")
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1 and Notification.objects.count() == 2


def test_a_failed_send_is_retried_and_every_attempt_recorded(opted_in):
    sms.MemorySmsBackend.fail_next = 2
    notify(citizen=opted_in.patient, event="feedback", event_key="feedback:1")
    notice = Notification.objects.get(channel="sms")
    assert notice.status == "sent" and notice.attempts == 3 and len(sms.outbox) == 1


def test_a_send_that_keeps_failing_stops_after_five_attempts(opted_in):
    sms.MemorySmsBackend.fail_next = 10
    notify(citizen=opted_in.patient, event="feedback", event_key="feedback:2")
    notice = Notification.objects.get(channel="sms")
    assert notice.status == "gave_up" and notice.attempts == 5 and "unavailable" in notice.last_error


def test_due_questionnaires_are_notified_once(enrolled):  # noqa: F811
    enrolled.patient.email, enrolled.patient.notify_email = "pia@example.org", True
    enrolled.patient.save()
    mail.outbox.clear()
    call_command("notify_due")
    call_command("notify_due")
    assert len(mail.outbox) == 1


def test_the_citizen_chooses_channels_on_the_contact_page(client, world):
    from conftest import login_citizen

    login_citizen(client, world.patient)
    response = client.post(
        "/me/contact/", {"email": "", "mobile": "", "preferred_language": "sv", "notify_email": "on"}
    )
    assert response.status_code == 400
    client.post(
        "/me/contact/", {"email": "pia@example.org", "mobile": "", "preferred_language": "sv", "notify_email": "on"}
    )
    world.patient.refresh_from_db()
    assert world.patient.notify_email and not world.patient.notify_sms


def test_inactive_citizens_are_reminded_once_per_period(enrolled):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    from fyren.care.models import Enrolment

    enrolled.patient.email, enrolled.patient.notify_email = "pia@example.org", True
    enrolled.patient.save()
    call_command("notify_inactive")
    assert mail.outbox == []  # just started
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    Enrolment.objects.filter(pk=enrolled.enrolment.pk).update(
        started_at=eight_days_ago, last_activity_at=eight_days_ago
    )
    call_command("notify_inactive")
    call_command("notify_inactive")
    assert len(mail.outbox) == 1
    assert Notification.objects.get().event == "inactivity"
