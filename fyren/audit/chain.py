"""The hash chain over access-log entries (pure functions)."""

import datetime as dt
import hashlib
import json

FIELDS = (
    "seq", "at", "actor_id", "actor_label", "role", "unit_id", "unit_label", "citizen_id",
    "citizen_identity", "action", "object_type", "object_id", "request_id",
    "outside_care_relation", "emergency", "reason",
)  # fmt: skip


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def entry_hash(fields: dict, prev_hash: str) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry's fields."""
    payload = {name: _canonical(fields[name]) for name in FIELDS}
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()
