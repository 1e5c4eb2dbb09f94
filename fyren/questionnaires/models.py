import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledSend(models.Model):
    """A questionnaire due for one enrolment on a day ("utskick")."""

    class Reason(models.TextChoices):
        START = "start", _("At the start")
        WEEKLY = "weekly", _("Weekly")
        MODULE = "module", _("Before a module")
        END = "end", _("At the end")
        FOLLOW_UP = "follow_up", _("Follow-up")
        MANUAL = "manual", _("Added by the clinician")

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="sends")
    instrument_code = models.CharField(max_length=40)
    element_key = models.UUIDField(null=True, blank=True)  # the questionnaire element in the program
    due_on = models.DateField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["enrolment", "completed_at", "due_on"])]


class Response(models.Model):
    """A citizen's answers to one questionnaire: a draft until submitted.
    ``client_token`` makes submission idempotent: a retry or double click
    finds the same response instead of creating another."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="questionnaire_responses")
    enrolment = models.ForeignKey(
        "care.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    send = models.OneToOneField(
        ScheduledSend, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    # Set when answered as the screening gate before self-enrolment in a unit's program.
    screening_for = models.ForeignKey(
        "programs.UnitProgram", null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20, blank=True)
    definition = models.JSONField()  # the definition answered, kept with the answers
    language = models.CharField(max_length=5, default="sv")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    bands = models.JSONField(default=dict)  # score id → band code
    alerts = models.JSONField(default=list)
    client_token = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["citizen", "instrument_code", "status"])]

    @property
    def urgent(self) -> bool:
        return any(alert.get("urgent") for alert in self.alerts)
