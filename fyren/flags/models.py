"""Flags and absence: what a clinician must look at, and who is away so that it
goes to someone else. A mechanism every app may use (raise, settle,
acknowledge, route); the clinician workspace shows them."""

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
        LEAD_TIME = "lead_time", _("Lead-time target about to be missed")
        FIXED_CONTACT = "fixed_contact", _("No fixed care contact")
        GUARANTEE = "guarantee", _("Care guarantee limit near")

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
        db_table = "clinic_flag"  # made by the workspace before flags had a floor of their own
        ordering = ["-urgent", "created_at"]
        # The flag list's order (open first, urgent first, oldest first): a page of a
        # unit with thousands of flags is read from the index, not sorted.
        indexes = [
            models.Index(fields=["unit", "acknowledged_at", "-urgent", "created_at"], name="flag_unit_list_order")
        ]
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

    # Flags raised by a questionnaire response carry it as their source:
    # "questionnaire_response" with "<response>:<alert rule>", "screening_response" with "<response>".
    RESPONSE_SOURCES = ("questionnaire_response", "screening_response")

    @property
    def response_id(self) -> int | None:
        """The questionnaire response whose answers raised this flag, if any."""
        if self.source_type in self.RESPONSE_SOURCES:
            head = self.source_id.split(":", 1)[0]
            return int(head) if head.isdigit() else None
        return None

    @property
    def episode_id(self) -> int | None:
        """The care episode whose lead-time target raised this flag, if any."""
        return self._leading_id("episode_target")

    @property
    def contract_id(self) -> int | None:
        """The patient contract that lacks a fixed care contact, if this flag says so."""
        return self._leading_id("contract_contact")

    def _leading_id(self, source_type: str) -> int | None:
        if self.source_type != source_type:
            return None
        head = self.source_id.split(":", 1)[0]
        return int(head) if head.isdigit() else None

    @classmethod
    def raised_by_response(cls, response_id: int):
        """The flags a questionnaire response raised (the reverse of ``response_id``)."""
        return cls.objects.filter(
            models.Q(source_type="questionnaire_response", source_id__startswith=f"{response_id}:")
            | models.Q(source_type="screening_response", source_id=str(response_id))
        )


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
        db_table = "clinic_absence"
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["unit", "starts_on", "ends_on"])]
