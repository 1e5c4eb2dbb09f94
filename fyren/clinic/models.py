from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClinicianNote(models.Model):
    """A clinician's working note on an enrolment (not the medical record)."""

    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


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
