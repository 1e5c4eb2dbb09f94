"""Bulk ``$export`` of a care unit for its record system: started by a request,
built by the worker (django-tasks) into one NDJSON file per type, read by the
same client with its token, removed when it expires. Every patient in the files
is written to the access log as an export naming the client."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many
from fyren.care.selectors import citizens_in_program_at
from fyren.lib.db_router import replica_reads
from fyren.lib.request_context import set_api_client
from fyren.people.selectors import citizens_with_ids

from .access import Access
from .fhir_types import PROVIDERS
from .fhir_types.group import program_of_group
from .models import BulkExport, UnitClient

LOG = logging.getLogger(__name__)
CHUNK = 500


def file_path(job: BulkExport, name: str) -> str:
    return f"bulk-export/{job.key}/{name}"


def export_start(
    *,
    access: Access,
    types: list[str],
    request_url: str,
    level: str = BulkExport.Level.SYSTEM,
    group: str = "",
    type_filters: dict | None = None,
    since=None,
) -> BulkExport:
    with transaction.atomic():
        job = BulkExport.objects.create(
            application=access.token.application,
            unit=access.units[0],
            types=types,
            request_url=request_url,
            level=level,
            group=group,
            type_filters=type_filters or {},
            since=since,
        )
        transaction.on_commit(lambda: bulk_export_run.enqueue(str(job.key)))
    return job


@task()
def bulk_export_run(key: str) -> str:
    """Build the files of one export. A job already taken does nothing."""
    claimed = BulkExport.objects.filter(key=key, status=BulkExport.Status.QUEUED).update(
        status=BulkExport.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    job = BulkExport.objects.select_related("application", "unit").get(key=key)
    set_api_client(job.application.name)
    try:
        with replica_reads():  # a long read that may lag a little: the replica's, if there is one
            files = _write(job)
    except Exception:  # recorded; the client sees the failure on its status poll
        LOG.exception("Bulk export %s failed", key)
        BulkExport.objects.filter(pk=job.pk).update(status=BulkExport.Status.FAILED, finished_at=timezone.now())
        return "failed"
    hours = settings.FYREN_BULK_EXPORT_HOURS
    BulkExport.objects.filter(pk=job.pk).update(
        status=BulkExport.Status.DONE,
        files=files,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    return "done"


def _write(job: BulkExport) -> list[dict]:
    binding = UnitClient.objects.using("default").filter(application=job.application).first()  # fresh
    if binding is None or binding.unit_id != job.unit_id:
        raise RuntimeError("The client is no longer bound to the unit.")
    access = Access("system", None, {"system/*.rs"}, job.application.name, units=[job.unit])  # type: ignore[arg-type]
    files = []
    exported: set[int] = set()
    members = _group_members(job)
    for resource_type in job.types:
        provider = PROVIDERS[resource_type]
        buffer = io.StringIO()
        count = 0
        written: set[str] = set()  # a resource two _typeFilters both match is written once
        for params in job.type_filters.get(resource_type) or [{}]:
            if members is not None:
                params = {**params, ("_id" if resource_type == "Patient" else "patient"): [",".join(members)]}
            if job.since is not None:  # what changed after _since (a type without lastUpdated: all of it)
                params = {**params, "_lastUpdated": [f"ge{job.since.isoformat()}"]}  # at the instant too: none missed
            rows = provider.rows_within(access, params, {})
            offset = 0
            while True:
                chunk = list(rows[offset : offset + CHUNK])
                for row in chunk:
                    for found in provider.expand_within(row, access, params, {}):
                        if found.id in written:
                            continue
                        written.add(found.id)
                        buffer.write(json.dumps(found.resource, ensure_ascii=False, separators=(",", ":")))
                        buffer.write("\n")
                        count += 1
                        if found.citizen_id is not None:
                            exported.add(found.citizen_id)
                if len(chunk) < CHUNK:
                    break
                offset += CHUNK
        if count:
            name = f"{resource_type}.ndjson"
            default_storage.save(file_path(job, name), ContentFile(buffer.getvalue().encode("utf-8")))
            files.append({"type": resource_type, "name": name, "count": count})
    for start in range(0, len(exported), CHUNK):
        citizens = citizens_with_ids(sorted(exported)[start : start + CHUNK])
        access_log_write_many(
            actor=None,
            citizens=citizens,
            action=AccessLogEntry.Action.EXPORT,
            object_type="fhir:$export",
            object_id=str(job.key),
            role="system",
            unit=job.unit,
        )
    return files


def _group_members(job: BulkExport) -> list[str] | None:
    """The patient ids a program Group holds (None: every patient in care at the unit)."""
    program_id = program_of_group(job.group) if job.level == BulkExport.Level.GROUP else None
    if program_id is None:
        return None
    return [str(pk) for pk in citizens_in_program_at(job.unit, program_id).values_list("pk", flat=True)]


def _remove_files(job: BulkExport) -> None:
    for entry in job.files:
        path = file_path(job, entry["name"])
        if default_storage.exists(path):
            default_storage.delete(path)


def export_delete(job: BulkExport) -> None:
    """The client is done with it (or cancels): the files and the job go."""
    _remove_files(job)
    job.delete()


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Remove the files of every export past its expiry (the hourly job)."""
    now = now or timezone.now()
    expired = list(BulkExport.objects.filter(expires_at__lt=now).exclude(files=[]))
    for job in expired:
        _remove_files(job)
        BulkExport.objects.filter(pk=job.pk).update(files=[])
    return len(expired)
