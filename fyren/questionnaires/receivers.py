"""What questionnaires does when something happens to an enrolment (connected in
``apps.py`` to ``care.signals``; runs inside care's transaction)."""

from django.utils import timezone

from .models import Response, ScheduledSend
from .services import sends_at_enrolment_end, sends_for_enrolment_start, sends_for_module_opened


def on_enrolment_started(sender, *, enrolment, actor, on, **kwargs):
    sends_for_enrolment_start(enrolment=enrolment, on=on, actor=actor)


def on_enrolment_ended(sender, *, enrolment, actor, at, **kwargs):
    sends_at_enrolment_end(enrolment=enrolment, on=timezone.localtime(at).date(), actor=actor)


def on_module_opened(sender, *, enrolment, actor, on, **kwargs):
    sends_for_module_opened(enrolment=enrolment, on=on, actor=actor)


def on_enrolment_purging(sender, *, enrolment, **kwargs):
    Response.objects.filter(enrolment=enrolment).delete()
    ScheduledSend.objects.filter(enrolment=enrolment).delete()


def completed_responses(enrolment):
    """The enrolment's completed responses with their sends, for conditions on
    scores in the citizen's plan (``care.journey.register_responses``)."""
    return Response.objects.filter(enrolment=enrolment, status=Response.Status.COMPLETED).select_related("send")
