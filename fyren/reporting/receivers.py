"""A completed enrolment in a program reported as a treatment becomes a treatment
record (connected in ``apps.py`` to ``care.signals.enrolment_ended``; runs in the
ending service's transaction)."""

from .services import treatment_from_enrolment


def on_enrolment_ended(sender, *, enrolment, actor, at, **kwargs):
    treatment_from_enrolment(enrolment=enrolment, at=at)
