from django.core.management.base import BaseCommand
from django.utils import timezone

from fyren.care.models import Enrolment
from fyren.notifications.services import notify
from fyren.questionnaires.models import ScheduledSend


class Command(BaseCommand):
    help = "Notify citizens of questionnaires due today or earlier (run daily, e.g. from cron). Safe to repeat."

    def handle(self, *args, **options):
        sends = ScheduledSend.objects.filter(
            completed_at__isnull=True,
            due_on__lte=timezone.localdate(),
            enrolment__status__in=Enrolment.OPEN_STATUSES,
        ).select_related("enrolment__citizen")
        count = 0
        for send in sends.iterator():
            count += len(notify(citizen=send.enrolment.citizen, event="questionnaire_due", event_key=f"send:{send.pk}"))
        self.stdout.write(f"{count} notice(s) queued.")
