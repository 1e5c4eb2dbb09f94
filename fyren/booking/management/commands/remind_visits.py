from django.core.management.base import BaseCommand

from fyren.booking.reminders import reminders_send


class Command(BaseCommand):
    help = "Queue content-free reminders for visits within their unit's reminder lead time (hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"reminders queued: {reminders_send()}")
