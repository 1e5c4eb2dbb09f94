"""Reads of journal notes."""

from .models import JournalExport

# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def journal_exports_for_reader(citizens, units=None):
    qs = JournalExport.objects.filter(enrolment__citizen__in=citizens).select_related("enrolment", "unit")
    return qs if units is None else qs.filter(unit__in=units)
