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
        UNASSIGNED = "unassigned", _("No responsible clinician")

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

    # Set by flag_raise: whether this call made the flag (not a database field).
    was_created: bool = False

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

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def response_id(self) -> int | None:
        """The questionnaire response whose answers raised this flag, if any."""
        if self.source_type in ("questionnaire_response", "screening_response"):
            head = self.source_id.split(":", 1)[0]
            return int(head) if head.isdigit() else None
        return None


class Absence(models.Model):
    """A clinician away from the unit (holiday, illness). While it lasts, their
    flags and messages go to the unit's other clinicians and the enrolment admins."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["unit", "starts_on", "ends_on"])]


class ClinicianNote(models.Model):
    """A clinician's working note on an enrolment (not the medical record)."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class HiddenContent(models.Model):
    """A module or section the clinician has hidden for this patient."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="hidden_content")
    key = models.UUIDField()  # the module's or section's stable key
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "key"], name="hide_once")]


class Handover(models.Model):
    """An enrolment handed over to another unit. Nothing moves until a clinician or
    enrolment admin there accepts; then the enrolment, its messages and the
    access move with it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving unit")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.PROTECT, related_name="handovers")
    from_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="incoming_handovers")
    reason = models.TextField(_("reason and summary for the receiving unit"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(status="pending"), name="one_pending_handover"
            )
        ]


class JournalExport(models.Model):
    """A period of an enrolment summarised for the medical record, and by whom and
    when. Marks what is documented, so nothing is documented twice."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.PROTECT, related_name="journal_exports")
    unit = models.ForeignKey("organisations.CareUnit", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    note = models.TextField()
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-exported_at"]
