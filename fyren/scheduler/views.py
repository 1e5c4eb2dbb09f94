"""/health/ and /ready/ for load balancers and operators: no data, no login."""

import datetime as dt

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat


def _database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any database failure means "not healthy"
        return False


@never_cache
def health(request):
    """The database answers, and the task worker and the scheduler have shown
    signs of life within ``FYREN_HEARTBEAT_MAX_AGE`` seconds. 503 otherwise."""
    database = _database_ok()
    body: dict = {"database": "ok" if database else "down"}
    healthy = database
    if database:
        beats = dict(Heartbeat.objects.values_list("name", "at"))
        limit = timezone.now() - dt.timedelta(seconds=settings.FYREN_HEARTBEAT_MAX_AGE)
        for name in ("worker", "scheduler"):
            at = beats.get(name)
            alive = at is not None and at >= limit
            body[name] = {"ok": alive, "last_seen": at.isoformat() if at else None}
            healthy = healthy and alive
    body["status"] = "ok" if healthy else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


# Once this process has seen every migration applied it stays so (new migrations
# come with new code, and so with a new process): later polls skip the migration graph.
_migrated = False


@never_cache
def ready(request):
    """Ready for traffic: the database answers and every migration is applied."""
    global _migrated
    if not _database_ok():
        return JsonResponse({"ready": False, "reason": "database"}, status=503)
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return JsonResponse({"ready": False, "reason": "migrations", "pending": len(pending)}, status=503)
        _migrated = True
    return JsonResponse({"ready": True})
