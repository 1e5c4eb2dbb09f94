"""Writes of the clinician workspace: flags, absence, notes, visibility, phases, handover."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.permissions import manages_unit_settings
from fyren.audit.services import audit_event_write
from fyren.care.team_services import locked_enrolment_as_clinician
from fyren.lib.ranges import EARLIEST, date_in_range

from .journal import note_text, summary_for
from .models import JournalExport

# --- journal export -----------------------------------------------------------------------


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


def unit_answer_time_set(*, actor, unit, hours: int):
    """Set how soon the unit answers messages; later ones raise an "unanswered" flag.
    The unit's enrolment admins may, and the region's care-provider admin."""
    if not 1 <= int(hours) <= 720:
        raise ValidationError({"hours": _("Give a number of hours from 1 to 720.")})
    with transaction.atomic():
        if not manages_unit_settings(actor, unit):
            raise PermissionDenied
        old = unit.answer_within_hours
        unit.answer_within_hours = int(hours)
        unit.save(update_fields=["answer_within_hours"])
        audit_event_write(
            actor=actor, action="unit.answer_time", obj=unit, unit=unit, data={"old": old, "new": int(hours)}
        )
    return unit
