"""Signals that lower floors send for higher ones to act on, without importing them.

``enrolment_changed``: something an enrolment's kept summary depends on changed
(``parts``: any of "activity", "flags", "unread", "module"). Sent by the flags and
questionnaire services (below the care app) inside their transaction; the care
app receives it and updates the enrolment's kept figures in the same
transaction, so the dashboard can sort and page in the database."""

from django.dispatch import Signal

# enrolment_ids: iterable of ids, parts: iterable of str
enrolment_changed = Signal()
