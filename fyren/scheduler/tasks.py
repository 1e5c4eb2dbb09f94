"""A task whose only work is to show the task worker is alive."""

from django_tasks import task

from .models import Heartbeat


@task()
def worker_heartbeat() -> str:
    Heartbeat.beat("worker")
    return "ok"
