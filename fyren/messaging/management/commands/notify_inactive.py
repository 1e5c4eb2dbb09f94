from django.core.management.base import BaseCommand
from django.utils import timezone

from fyren.care.summary import inactive_enrolments
from fyren.notifications.services import notify


class Command(BaseCommand):
    help = (
        "Remind citizens who have been inactive for the number of days their program sets (run daily). "
        "One reminder per period of inactivity."
    )

    def handle(self, *args, **options):
        now, count = timezone.now(), 0
        for enrolment in inactive_enrolments(now).select_related("citizen").iterator():
            last = enrolment.last_activity_at or enrolment.started_at
            key = f"inactive:{enrolment.pk}:{last.date().isoformat()}"
            count += len(notify(citizen=enrolment.citizen, event="inactivity", event_key=key))
        self.stdout.write(f"{count} reminder(s) queued.")
