"""Run the periodic jobs on schedule (docs/operations.md); no cron needed."""

import time

from django.core.management.base import BaseCommand

from fyren.scheduler.jobs import JOBS, run_due
from fyren.scheduler.models import Heartbeat
from fyren.scheduler.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Run periodic jobs when they are due: every minute the notice sweep, hourly flags, daily notices and checks."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument("--interval", type=int, default=20, help="Seconds between looks (default 20).")

    def handle(self, *args, once=False, interval=20, **options):
        self.stdout.write("Scheduled: " + ", ".join(f"{job.command} ({job.every})" for job in JOBS))
        last_ping = 0.0
        while True:
            Heartbeat.beat("scheduler")
            if time.monotonic() - last_ping >= 60:
                worker_heartbeat.enqueue()  # the worker answers by beating when it runs the task
                last_ping = time.monotonic()
            for run in run_due():
                self.stdout.write(f"{run.job} {run.period}: {run.outcome}")
            if once:
                return
            time.sleep(max(1, interval))
