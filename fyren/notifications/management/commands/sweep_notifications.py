"""Re-queue notices whose delivery stalled (a worker died, a task was lost, a
retry is due). Run it every minute or two, or keep it running with --loop."""

import time

from django.core.management.base import BaseCommand

from fyren.notifications.tasks import notifications_sweep


class Command(BaseCommand):
    help = "Re-queue notices whose delivery stalled."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="Sweep every SECONDS until stopped.")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            counts = notifications_sweep()
            self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
            if not loop:
                return
            time.sleep(loop)
