"""Reads that may lag a little go to a read replica when one is configured.

``FYREN_DATABASE_REPLICA_URL`` adds the ``replica`` database; the reads made
inside ``replica_reads()`` (a context manager and a decorator) then go there:
the follow-up reports (national reporting, program outcomes, lead times, the
care guarantee) and the FHIR bulk export. Every write, and every read outside
it, goes to the primary, so nothing a user just did is ever read stale.
Without a replica the router changes nothing. (Research deliveries stay on the
primary: a consent withdrawn a moment ago must be seen — decisions #77.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("fyren_reading_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reading_from_replica() -> bool:
    """Inside ``replica_reads()`` (whether or not a replica is configured)."""
    return _reading_from_replica.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication
