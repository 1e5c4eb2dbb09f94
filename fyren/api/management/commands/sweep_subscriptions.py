"""Queue what subscriptions are owed (handshakes, undelivered events, retries
that are due, heartbeats) and forget events older than the retention. Run every
minute by the scheduler, or keep it running with --loop."""

import time

from django.core.management.base import BaseCommand

from fyren.api.subscriptions import events_expire, subscriptions_sweep


class Command(BaseCommand):
    help = "Queue subscription deliveries and heartbeats that are due; remove expired events."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="Sweep every SECONDS until stopped.")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            counts = subscriptions_sweep() | {"expired": events_expire()}
            self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
            if not loop:
                return
            time.sleep(loop)
