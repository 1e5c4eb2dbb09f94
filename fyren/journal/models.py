from django.conf import settings
from django.db import models
from django.utils import timezone


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
        db_table = "clinic_journalexport"  # made when the journal note was part of the clinician workspace
        ordering = ["-exported_at"]
