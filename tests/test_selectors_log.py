"""Every selector that returns citizen data to staff writes an access-log entry.

The list below names each such selector with a call that returns data; adding a
selector to ``fyren/*/selectors.py`` that returns citizens without a line here
fails ``test_the_list_covers_every_selector``."""

import inspect

import pytest

from fyren.audit.models import AccessLogEntry
from fyren.care import selectors as care_selectors

pytestmark = pytest.mark.django_db

STAFF_SELECTORS = {
    "citizens_in_care_at": lambda w: care_selectors.citizens_in_care_at(actor=w.clinician, unit=w.unit),
    "citizen_get_for_clinician": lambda w: care_selectors.citizen_get_for_clinician(
        actor=w.clinician, unit=w.unit, citizen_id=w.patient.pk
    ),
}

# Selectors that return citizen rows but are not staff reads of patient data, and why.
NOT_PATIENT_DATA_READS = {
    "citizen_lookup_for_emergency": "returns only existence before emergency access is granted and logged",
}


@pytest.mark.parametrize("name", sorted(STAFF_SELECTORS))
def test_the_selector_writes_the_access_log(world, name):
    before = AccessLogEntry.objects.count()
    result = STAFF_SELECTORS[name](world)
    assert result
    assert AccessLogEntry.objects.count() > before
    assert AccessLogEntry.objects.filter(actor=world.clinician, unit=world.unit, citizen=world.patient).exists()


def test_the_list_covers_every_selector():
    public = {
        name
        for name, fn in inspect.getmembers(care_selectors, inspect.isfunction)
        if fn.__module__ == care_selectors.__name__ and not name.startswith("_")
    }
    assert public == set(STAFF_SELECTORS) | set(NOT_PATIENT_DATA_READS)
