"""Writes to the access log and the audit trail. Call these inside the
transaction of the work they record."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from fyren.lib.request_context import access_logged_keys, current_api_client, current_request_id

from .chain import entry_hash
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead, AuditEvent


def _actor_label(actor) -> str:
    if actor is None:
        label = "system"
    else:
        label = actor.get_full_name() or actor.username
        hsa_id = getattr(actor, "hsa_id", None)
        label = f"{label} ({hsa_id})" if hsa_id else label
    client = current_api_client()
    return f"{label} via {client}" if client else label


def _unit_label(unit) -> str:
    return f"{unit.name} ({unit.hsa_id})" if unit is not None else ""


def access_log_write(
    *,
    actor,
    citizen,
    action: str,
    object_type: str,
    object_id: str | int = "",
    role: str = "",
    unit=None,
    outside_care_relation: bool = False,
    emergency: bool = False,
    reason: str = "",
) -> AccessLogEntry | None:
    """Append one entry for one citizen (None when this request has logged the
    same already). See :func:`access_log_write_many`."""
    written = access_log_write_many(
        actor=actor,
        citizens=[citizen],
        action=action,
        object_type=object_type,
        object_id=object_id,
        role=role,
        unit=unit,
        outside_care_relation=outside_care_relation,
        emergency=emergency,
        reason=reason,
    )
    return written[0] if written else None


def access_log_write_many(
    *,
    actor,
    citizens: Iterable,
    action: str,
    object_type: str,
    object_id: str | int = "",
    role: str = "",
    unit=None,
    outside_care_relation: bool = False,
    emergency: bool = False,
    reason: str = "",
) -> list[AccessLogEntry]:
    """Append one entry per citizen, chained, in a fixed number of queries.

    Within one request, a citizen already logged with the same actor, unit,
    action and emergency status is not logged again: the law asks that the
    staff member's access to the citizen's data is recorded, and one page view
    that reads a citizen through several selectors is one access. The first
    entry's object says what the page was about.

    The entries go to the unit's chain (0 without a unit); its head is locked
    (``SELECT … FOR UPDATE``) so concurrent writers at the same unit append one
    after another on PostgreSQL, while writers at other units do not wait; on
    SQLite the write transaction already serialises them.
    """
    if action not in AccessLogEntry.Action.values:
        raise ValueError(f"Unknown access-log action {action!r}")
    logged = access_logged_keys()

    def key(citizen):
        return (getattr(actor, "pk", None), citizen.pk, getattr(unit, "pk", None), action, emergency)

    citizens = list({c.pk: c for c in citizens}.values())
    if logged is not None:
        citizens = [c for c in citizens if key(c) not in logged]
    if not citizens:
        return []
    now = timezone.now()
    common = {
        "at": now,
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": _actor_label(actor),
        "role": str(role or ""),
        "unit_id": unit.pk if unit is not None else None,
        "unit_label": _unit_label(unit),
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "request_id": current_request_id(),
        "outside_care_relation": outside_care_relation,
        "emergency": emergency,
        "reason": reason,
    }
    chain = unit.pk if unit is not None else 0
    common["chain"] = chain
    with transaction.atomic():
        head = _locked_head(chain)
        entries = []
        seq, prev_hash = head.last_seq, head.last_hash
        for citizen in citizens:
            seq += 1
            fields = {**common, "seq": seq, "citizen_id": citizen.pk, "citizen_identity": citizen.identity_number}
            digest = entry_hash(fields, prev_hash)
            entries.append(AccessLogEntry(**fields, prev_hash=prev_hash, hash=digest))
            prev_hash = digest
        AccessLogEntry.objects.bulk_create(entries)
        AccessLogHead.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev_hash)
        if logged is not None:
            # Remembered only once stored: a rolled-back write is logged again by the next read.
            keys = [key(c) for c in citizens]
            transaction.on_commit(lambda: logged.update(keys))
    return entries


def _locked_head(chain: int) -> AccessLogHead:
    """The chain's head, locked; made the first time the chain is written (two
    first writers racing: the loser of the insert reads the winner's row)."""
    head = AccessLogHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AccessLogHead.objects.create(chain=chain, last_seq=0, last_hash=GENESIS_HASH)
    except IntegrityError:
        pass
    return AccessLogHead.objects.select_for_update().get(chain=chain)


def audit_event_write(*, actor, action: str, obj=None, object_type: str = "", object_id="", unit=None, data=None):
    """Record an administrative change (who, what, old and new values)."""
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=_actor_label(actor),
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        unit=unit,
        data=data or {},
        request_id=current_request_id(),
    )


def change_record(
    *,
    actor,
    citizen,
    obj,
    object_type: str,
    event: str,
    role: str = "",
    unit=None,
    access: str = AccessLogEntry.Action.CHANGE,
    data=None,
) -> None:
    """A write about one citizen's data, recorded both ways in one call (inside the
    write's transaction): the access-log entry (whose data, what was done to which
    object, by whom in which role at which unit) and the audit event ``event``
    (the change itself, with ``data``)."""
    access_log_write(
        actor=actor, citizen=citizen, action=access, object_type=object_type, object_id=obj.pk, role=role, unit=unit
    )
    audit_event_write(actor=actor, action=event, obj=obj, unit=unit, data=data)
