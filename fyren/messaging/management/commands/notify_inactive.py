import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Max
from django.utils import timezone

from fyren.care.models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress
from fyren.messaging.services import notify
from fyren.questionnaires.models import Response


def last_activity(enrolment) -> dt.datetime:
    """The latest thing the citizen did in the enrolment (or its start)."""
    candidates = [
        enrolment.started_at,
        ElementAnswer.objects.filter(enrolment=enrolment).aggregate(m=Max("updated_at"))["m"],
        DiaryEntry.objects.filter(enrolment=enrolment).aggregate(m=Max("created_at"))["m"],
        Response.objects.filter(enrolment=enrolment).aggregate(m=Max("updated_at"))["m"],
        ModuleProgress.objects.filter(enrolment=enrolment).aggregate(m=Max("completed_at"))["m"],
    ]
    return max(c for c in candidates if c is not None)


class Command(BaseCommand):
    help = (
        "Remind citizens who have been inactive for the number of days their program sets (run daily). "
        "One reminder per period of inactivity."
    )

    def handle(self, *args, **options):
        now, count = timezone.now(), 0
        enrolments = Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE, program_version__inactivity_days__gt=0
        ).select_related("citizen", "program_version")
        for enrolment in enrolments.iterator():
            last = last_activity(enrolment)
            if now - last >= dt.timedelta(days=enrolment.program_version.inactivity_days):
                key = f"inactive:{enrolment.pk}:{last.date().isoformat()}"
                count += len(notify(citizen=enrolment.citizen, event="inactivity", event_key=key))
        self.stdout.write(f"{count} reminder(s) queued.")
