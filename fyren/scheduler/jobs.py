"""The periodic jobs and when they run, and the loop that runs what is due.
Jobs are management commands, called by name, so the scheduler imports no app
above it. Safe with several schedulers: a job's run for a period is claimed by
inserting its unique ``JobRun`` row first."""

from __future__ import annotations

import datetime as dt
import io
import logging
import socket
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    every: str  # "minute", "hour" or "day"
    at: dt.time | None = None  # for daily jobs: not before this local time

    def period(self, now: dt.datetime) -> str | None:
        """The period ``now`` falls in, or None when a daily job's time has not come."""
        local = timezone.localtime(now)
        if self.every == "minute":
            return local.strftime("%Y-%m-%dT%H:%M")
        if self.every == "hour":
            return local.strftime("%Y-%m-%dT%H")
        if self.at is not None and local.time() < self.at:
            return None
        return local.strftime("%Y-%m-%d")


JOBS = [
    Job("sweep_notifications", "minute"),
    Job("sweep_subscriptions", "minute"),
    Job("raise_flags", "hour"),
    Job("remind_visits", "hour"),
    Job("expire_bulk_exports", "hour"),
    Job("notify_due", "day", dt.time(7, 0)),
    Job("notify_inactive", "day", dt.time(7, 10)),
    Job("verify_access_log", "day", dt.time(2, 0)),
    Job("apply_retention", "day", dt.time(3, 0)),
    Job("expire_research_exports", "day", dt.time(3, 30)),
]


def run_due(*, now: dt.datetime | None = None, jobs: list[Job] | None = None) -> list[JobRun]:
    """Run every job whose current period has no run yet; return the runs made."""
    now = now or timezone.now()
    made = []
    for job in jobs if jobs is not None else JOBS:
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=job.command, period=period, host=socket.gethostname()[:200])
        except IntegrityError:
            continue  # this period's run is taken (here earlier, or by another scheduler)
        output = io.StringIO()
        try:
            call_command(job.command, stdout=output, stderr=output)
        except (Exception, SystemExit) as exc:  # a failing job (or one that exits) is recorded; the others run
            run.outcome, run.output = JobRun.Outcome.FAILED, f"{output.getvalue()}\n{exc!r}"[-5000:]
            LOG.exception("Scheduled job %s failed", job.command)
        else:
            run.outcome, run.output = JobRun.Outcome.OK, output.getvalue()[-5000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "output", "finished_at"])
        made.append(run)
    return made
