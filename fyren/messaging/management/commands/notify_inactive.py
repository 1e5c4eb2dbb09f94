import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from fyren.care.models import Enrolment
from fyren.messaging.services import notify


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
            last = enrolment.last_activity_at or enrolment.started_at
            if now - last >= dt.timedelta(days=enrolment.program_version.inactivity_days):
                key = f"inactive:{enrolment.pk}:{last.date().isoformat()}"
                count += len(notify(citizen=enrolment.citizen, event="inactivity", event_key=key))
        self.stdout.write(f"{count} reminder(s) queued.")
