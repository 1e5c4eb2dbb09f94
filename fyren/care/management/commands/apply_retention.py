from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from fyren.audit.services import audit_event_write
from fyren.care.models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress
from fyren.care.signals import enrolment_purging
from fyren.care.summary import summary_refresh


class Command(BaseCommand):
    help = (
        "Remove the citizen's own work from enrolments that ended more than FYREN_RETENTION_DAYS_AFTER_END "
        "days ago (run daily). The enrolment itself, the audit trail and the access log are kept."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.FYREN_RETENTION_DAYS_AFTER_END)
        expired = Enrolment.objects.filter(ended_at__lt=cutoff, purged_at__isnull=True)
        count = 0
        for enrolment in expired.iterator():
            with transaction.atomic():
                enrolment_purging.send(sender=Enrolment, enrolment=enrolment)  # questionnaire answers and sends
                for model in (ElementAnswer, DiaryEntry, ModuleProgress):
                    model.objects.filter(enrolment=enrolment).delete()
                Enrolment.objects.filter(pk=enrolment.pk).update(purged_at=timezone.now())
                summary_refresh([enrolment.pk])  # what is left: the start, flags, messages
                audit_event_write(actor=None, action="enrolment.retention_purge", obj=enrolment, unit=enrolment.unit)
            count += 1
        self.stdout.write(f"{count} enrolment(s) purged.")
