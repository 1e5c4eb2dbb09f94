"""Writes of the journal note: a period of an enrolment summarised for the
medical record and marked as exported, so nothing is documented twice."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.audit.services import audit_event_write
from fyren.care.team_services import locked_enrolment_as_clinician
from fyren.lib.ranges import EARLIEST, date_in_range

from .models import JournalExport
from .notes import note_text, summary_for


def journal_export_record(*, actor, enrolment, start, end, lang: str):
    """Produce the journal note for a period and mark it as exported (by whom and
    when), so the next export starts after it and nothing is documented twice."""
    if end < start:
        raise ValidationError(_("The period must end on or after its first day."))
    date_in_range(start, earliest=EARLIEST, latest=timezone.localdate())
    if end > timezone.localdate():
        raise ValidationError(_("The period cannot end in the future."))
    with transaction.atomic():
        enrolment = locked_enrolment_as_clinician(actor, enrolment, object_type="journal_export", action="export")
        note = note_text(summary_for(enrolment, start=start, end=end, lang=lang))
        export = JournalExport.objects.create(
            enrolment=enrolment, unit=enrolment.unit, period_start=start, period_end=end, note=note, exported_by=actor
        )
        audit_event_write(
            actor=actor,
            action="journal.export",
            obj=export,
            unit=enrolment.unit,
            data={"from": start.isoformat(), "until": end.isoformat()},
        )
    return export
