"""Reads of questionnaires for the citizen (their own)."""

from django.db.models import Q
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


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def completed_responses_for_reader(citizens, units=None):
    """Completed answers of the citizens; for units, those of the units' enrolments or screenings."""
    qs = Response.objects.filter(status=Response.Status.COMPLETED, citizen__in=citizens)
    if units is not None:
        qs = qs.filter(Q(enrolment__unit__in=units) | Q(screening_for__unit__in=units))
    return qs.select_related("citizen")
