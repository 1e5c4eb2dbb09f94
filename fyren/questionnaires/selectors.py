"""Reads of questionnaires for the citizen (their own)."""

from django.http import Http404
from django.utils import timezone

from fyren.care.models import Enrolment

from .models import Response, ScheduledSend


def due_sends_for(citizen):
    """Questionnaires due now in the citizen's open enrolments, not yet answered."""
    return (
        ScheduledSend.objects.filter(
            enrolment__citizen=citizen,
            enrolment__status__in=Enrolment.OPEN_STATUSES,
            completed_at__isnull=True,
            due_on__lte=timezone.localdate(),
        )
        .select_related("enrolment", "enrolment__program_version", "enrolment__program_version__program__owner")
        .order_by("due_on")
    )


def send_for_citizen_or_404(citizen, send_id) -> ScheduledSend:
    send = due_sends_for(citizen).filter(pk=send_id).first()
    if send is None:
        raise Http404
    return send


def response_for_citizen_or_404(citizen, response_id) -> Response:
    response = Response.objects.filter(pk=response_id, citizen=citizen).select_related("enrolment").first()
    if response is None:
        raise Http404
    return response


def history_for(citizen, instrument_code: str):
    return Response.objects.filter(
        citizen=citizen, instrument_code=instrument_code, status=Response.Status.COMPLETED
    ).order_by("submitted_at")
