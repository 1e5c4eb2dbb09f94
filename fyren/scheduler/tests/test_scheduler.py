"""Periodic jobs run on schedule without cron: once per period however many
schedulers run, each run recorded, a failing job recorded and the others run;
on the demo data, an inactive citizen is flagged within the hour."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core.management import CommandError
from django.db import connection
from django.utils import timezone

from fyren.scheduler.jobs import JOBS, Job, run_due
from fyren.scheduler.models import JobRun

pytestmark = pytest.mark.django_db


def at(hour, minute=0, day=1):
    return timezone.make_aware(dt.datetime(2026, 12, day, hour, minute))


def test_each_job_runs_once_per_period_and_daily_jobs_wait_for_their_time():
    with mock.patch("fyren.scheduler.jobs.call_command") as called:
        made = run_due(now=at(1, 30))
        hourly = {"sweep_notifications", "sweep_subscriptions", "raise_flags", "remind_visits", "expire_bulk_exports"}
        assert {r.job for r in made} == hourly  # daily jobs wait
        assert (
            run_due(
                now=at(
                    1,
                    30,
                )
            )
            == []
        )  # the same minute, the same hour: nothing more
        later = run_due(now=at(7, 15))
        assert {r.job for r in later} == {
            "sweep_notifications",
            "sweep_subscriptions",
            "raise_flags",
            "remind_visits",
            "expire_bulk_exports",
            "notify_due",
            "notify_inactive",
            "verify_access_log",
            "apply_retention",
            "expire_research_exports",
        }
        assert {r.job for r in run_due(now=at(8, 0))} == hourly
        assert {r.job for r in run_due(now=at(0, 5, day=2))} == hourly
    assert called.call_count == 5 + 10 + 5 + 5
    assert JobRun.objects.filter(outcome="ok").count() == 25


def test_a_failing_job_is_recorded_and_the_others_still_run():
    def fail_one(name, **kwargs):
        if name == "raise_flags":
            raise CommandError("database away")

    with mock.patch("fyren.scheduler.jobs.call_command", side_effect=fail_one):
        runs = {r.job: r for r in run_due(now=at(9))}
    assert runs["raise_flags"].outcome == "failed" and "database away" in runs["raise_flags"].output
    assert runs["sweep_notifications"].outcome == "ok" and runs["raise_flags"].finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_run_a_job_once(settings):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the unique row is tested above")
    calls = []
    barrier = threading.Barrier(2)

    def slow(name, **kwargs):
        calls.append(name)

    def scheduler():
        barrier.wait()
        run_due(now=at(10), jobs=[Job("raise_flags", "hour")])
        connection.close()

    # Patched once for both threads: a patch per thread could be undone by the other
    # thread's exit before this one runs its job (the real command then ran unseen).
    with mock.patch("fyren.scheduler.jobs.call_command", side_effect=slow):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert calls == ["raise_flags"] and JobRun.objects.filter(job="raise_flags").count() == 1


def test_the_schedule_names_every_periodic_command():
    from django.core.management import get_commands

    assert {job.command for job in JOBS} <= set(get_commands())


def test_on_the_demo_data_an_inactive_citizen_is_flagged_by_the_hourly_run():
    from fyren.demo.loader import load_demo_data
    from fyren.flags.models import Flag
    from fyren.people.models import Citizen

    load_demo_data()
    omar = Citizen.objects.get(given_name="Omar")
    assert not Flag.objects.filter(citizen=omar).exists()
    runs = run_due(now=timezone.now() + dt.timedelta(minutes=59))  # the clock moved on; nobody typed a command
    assert any(r.job == "raise_flags" and r.outcome == "ok" for r in runs)
    assert Flag.objects.filter(citizen=omar, kind=Flag.Kind.INACTIVITY).exists()
