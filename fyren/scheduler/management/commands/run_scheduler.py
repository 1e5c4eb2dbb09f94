"""Run the periodic jobs on schedule (docs/operations.md); no cron needed."""

import time

from django.core.management.base import BaseCommand

from fyren.scheduler.jobs import JOBS, run_due


class Command(BaseCommand):
    help = "Run periodic jobs when they are due: every minute the notice sweep, hourly flags, daily notices and checks."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument("--interval", type=int, default=20, help="Seconds between looks (default 20).")

    def handle(self, *args, once=False, interval=20, **options):
        self.stdout.write("Scheduled: " + ", ".join(f"{job.command} ({job.every})" for job in JOBS))
        while True:
            for run in run_due():
                self.stdout.write(f"{run.job} {run.period}: {run.outcome}")
            if once:
                return
            time.sleep(max(1, interval))
