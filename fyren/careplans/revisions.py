"""What changed between two revisions of a contract: pure functions over the
snapshots ``selectors.contract_snapshot`` makes and services store with each revision."""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("priorities", "units", "contacts", "plans", "goals", "activities")
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@dataclass(frozen=True)
class Change:
    section: str  # one of SECTIONS
    kind: str  # ADDED, CHANGED or REMOVED
    label: str  # what it is about, as the citizen reads it
    fields: tuple[str, ...] = ()  # for CHANGED: which fields


def _label(section: str, entry: dict) -> str:
    for key in ("text", "what", "title", "person", "name"):
        if entry.get(key):
            return str(entry[key])
    return section


def _by_id(item: tuple[str, dict]) -> tuple[int, str]:
    return len(item[0]), item[0]


def changes(old: dict | None, new: dict) -> list[Change]:
    """Every entry added, changed or removed from ``old`` to ``new`` (``old``
    None: nothing was seen before, so everything is new)."""
    old = old or {}
    found: list[Change] = []
    if (old.get("priorities") or "") != (new.get("priorities") or ""):
        found.append(Change("priorities", CHANGED if old.get("priorities") else ADDED, new.get("priorities") or ""))
    for section in SECTIONS[1:]:
        before, after = old.get(section) or {}, new.get(section) or {}
        # Oldest first (ids as numbers; a database may return JSON keys in another order).
        for key, entry in sorted(after.items(), key=_by_id):
            if key not in before:
                found.append(Change(section, ADDED, _label(section, entry)))
            elif before[key] != entry:
                differing = tuple(
                    sorted(f for f in set(entry) | set(before[key]) if entry.get(f) != before[key].get(f))
                )
                found.append(Change(section, CHANGED, _label(section, entry), differing))
        for key, entry in sorted(before.items(), key=_by_id):
            if key not in after:
                found.append(Change(section, REMOVED, _label(section, entry)))
    return found
