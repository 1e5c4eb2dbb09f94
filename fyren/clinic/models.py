from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    """Something a clinician must look at. Urgent flags stay at the top of the
    unit's pages until someone acknowledges them with a note."""

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire answer")
        SCREENING = "screening", _("Screening")
        URGENT_MESSAGE = "urgent_message", _("Urgent words in a message")
        INACTIVITY = "inactivity", _("Inactivity")
        OVERDUE = "overdue", _("Overdue questionnaire")
        UNANSWERED = "unanswered", _("Unanswered message")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    urgent = models.BooleanField(default=False)
    citizen = models.ForeignKey("people.Citizen", on_delete=models.PROTECT, related_name="flags")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="flags")
    enrolment = models.ForeignKey(
        "care.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    message = models.JSONField(default=dict)  # per language, for the clinician
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-urgent", "created_at"]
        indexes = [models.Index(fields=["unit", "acknowledged_at", "urgent"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                name="one_flag_per_source",
                condition=~models.Q(source_id=""),
            )
        ]
