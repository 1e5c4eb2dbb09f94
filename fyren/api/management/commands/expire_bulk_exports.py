from django.core.management.base import BaseCommand

from fyren.api.bulk import exports_expire


class Command(BaseCommand):
    help = "Remove the files of FHIR bulk exports past their expiry (hourly job)."

    def handle(self, *args, **options):
        self.stdout.write(f"{exports_expire()} expired export(s) removed")
