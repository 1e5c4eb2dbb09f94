from django.core.management.base import BaseCommand

from fyren.research.services import exports_expire


class Command(BaseCommand):
    help = "Remove the files of research exports past their expiry (daily job)."

    def handle(self, *args, **options):
        self.stdout.write(f"{exports_expire()} expired research export(s) removed")
