import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadQuerySet(models.QuerySet):
    def waiting(self):
        """Threads where the citizen's side waits for the care team."""
        return self.filter(waiting_since__isnull=False)


class Thread(models.Model):
    """A secure conversation between a citizen (or their guardian or proxy) and a
    care unit's team: one per enrolment, or a contact thread the unit opens
    outside any program.

    ``waiting_since`` is when the oldest message from the citizen's side that the
    team has not handled arrived; it is cleared when the team answers or marks
    that no answer is needed (who and when are kept)."""

    class Handling(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        NO_ANSWER_NEEDED = "no_answer_needed", _("No answer needed")

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="threads")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="threads")
    enrolment = models.OneToOneField(
        "care.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="thread"
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_threads"
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling = models.CharField(max_length=20, choices=Handling.choices, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at"]
        # The inbox pages by (waiting_since, id) within a unit straight from this index.
        indexes = [models.Index(fields=["unit", "waiting_since", "id"]), models.Index(fields=["citizen"])]


class Message(models.Model):
    """One message in a thread. A draft (one per writer and thread) keeps what was
    typed until it is sent; ``client_token`` makes sending idempotent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Written on the citizen's side (by the citizen, a guardian or a proxy) rather than by care staff.
    from_citizen = models.BooleanField()
    body = models.TextField(blank=True)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
    client_token = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # by the other side
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    urgent_phrases = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, blank=True)  # the writer's page language when it was sent

    class Meta:
        ordering = ["sent_at", "created_at"]
        indexes = [models.Index(fields=["thread", "status", "from_citizen", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "sender"], condition=models.Q(status="draft"), name="one_draft_per_writer"
            )
        ]


def _attachment_path(instance, filename):

    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """A file sent with a message (PDF, PNG, JPG or GIF, checked by content).
    Served only through a gated view, never from a public media URL."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)


class ContactRequest(models.Model):
    """*Kontakta mig*: a citizen, without being in any program, asks a unit to
    contact them — what about (the thread's first message, in their words), how
    and when to reach them. The thread is an ordinary one of the unit's inbox."""

    class How(models.TextChoices):
        PHONE = "phone", _("Call me")
        MESSAGE = "message", _("Answer me here in Fyren")
        VIDEO = "video", _("A video call")

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="contact_request")
    how = models.CharField(_("how to reach me"), max_length=10, choices=How.choices)
    when = models.CharField(_("when it suits me"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
