"""Every selector that returns citizen data to staff writes an access-log entry.

The list below names each such selector with a call that returns data. Every
public function of every ``fyren/*/selectors.py`` must be listed either here or
among the reads that are not staff reads of patient data, with the reason; a new
selector that is neither fails ``test_the_list_covers_every_selector``."""

import importlib
import inspect
from pathlib import Path

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

# Selectors that are not staff reads of patient data, and why.
NOT_PATIENT_DATA_READS = {
    "citizen_lookup_for_emergency": "returns only existence before emergency access is granted and logged",
    "citizen_of_user": "the citizen's own record, read by the citizen",
    "citizens_represented_by": "people the logged-in citizen acts for (guardian, proxy), read by that citizen",
    "citizen_for_user_or_404": "the citizen's own record or one they act for, read by the citizen",
    "access_log_for_citizen": "the citizen's own log extract, read by the citizen",
    "units_reviewable_by": "care units, no citizen data",
    "access_log_for_review": "the access log itself, read by a log reviewer (reviewing the log is not care)",
    "due_sends_for": "the citizen's own due questionnaires, read by the citizen",
    "send_for_citizen_or_404": "the citizen's own questionnaire send, read by the citizen",
    "response_for_citizen_or_404": "the citizen's own answers, read by the citizen",
    "history_for": "the citizen's own results over time, read by the citizen",
}


@pytest.mark.parametrize("name", sorted(STAFF_SELECTORS))
def test_the_selector_writes_the_access_log(world, name):
    before = AccessLogEntry.objects.count()
    result = STAFF_SELECTORS[name](world)
    assert result
    assert AccessLogEntry.objects.count() > before
    assert AccessLogEntry.objects.filter(actor=world.clinician, unit=world.unit, citizen=world.patient).exists()


def test_the_list_covers_every_selector():
    public = set()
    for path in sorted(Path(care_selectors.__file__).parents[1].glob("*/selectors.py")):
        module = importlib.import_module(f"fyren.{path.parent.name}.selectors")
        public |= {
            name
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module.__name__ and not name.startswith("_")
        }
    assert public == set(STAFF_SELECTORS) | set(NOT_PATIENT_DATA_READS)
