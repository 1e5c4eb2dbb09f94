"""What messaging does when something happens to an enrolment (connected in
``apps.py`` to ``care.signals``; runs inside care's transaction)."""

from .models import Thread


def on_enrolment_moved(sender, *, enrolment, to_unit, **kwargs):
    """A handover was accepted: the enrolment's conversation goes to the receiving
    unit, waiting for someone there to take it."""
    Thread.objects.filter(enrolment=enrolment).update(unit=to_unit, assigned_to=None)
