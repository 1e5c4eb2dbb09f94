"""What messaging adds to an enrolment's kept summary (``care.summary``):
the citizen's side's last sent message, and the messages the team has not read."""

from django.db.models import OuterRef

from fyren.care.summary import count_of, latest

from .models import Message


def _from_citizen():
    return Message.objects.filter(thread__enrolment=OuterRef("pk"), from_citizen=True, status="sent")


def last_message_sent():
    return latest(_from_citizen(), "sent_at", per="thread")


def unread_messages():
    return count_of(_from_citizen().filter(read_at__isnull=True), per="thread")
