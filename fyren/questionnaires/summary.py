"""What questionnaires add to an enrolment's kept summary (``care.summary``): the
last questionnaire the citizen's side completed."""

from django.db.models import OuterRef

from fyren.care.summary import latest

from .models import Response


def last_response_completed():
    return latest(Response.objects.filter(enrolment=OuterRef("pk"), status="completed"), "submitted_at")
