"""Hiding small counts in published figures so that no person can be singled
out: counts from 1 up to (not including) the threshold are hidden, and then
every cell from which a hidden one could be worked out — the other part of a
split whose total is shown, another row in a column whose total row is shown,
and a figure derived from a hidden count — repeated until nothing changes.
Zeros are shown. Pure; used by the national report, lead times and the care
guarantee."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

HIDDEN = ".."


@dataclass
class Cell:
    value: int | float | Decimal | None
    kind: str = "count"  # count, or a figure derived from counts (rate, percent, median …)
    hidden: bool = False

    @property
    def shown(self):
        return None if self.hidden else self.value


def _hide_partner(cells: list[Cell]) -> bool:
    """If exactly one of ``cells`` is hidden, hide the smallest shown other count."""
    hidden = [c for c in cells if c.hidden]
    shown = [c for c in cells if not c.hidden and c.kind == "count"]
    if len(hidden) == 1 and shown:
        min(shown, key=lambda c: (c.value == 0, c.value or 0)).hidden = True
        return True
    return False


def suppress(
    rows: Sequence[Mapping[str, Cell]],
    threshold: int,
    *,
    splits: Sequence[tuple[tuple[str, ...], str | None]] = (),
    derived: Mapping[str, str] | None = None,
    total_row: Mapping[str, Cell] | None = None,
) -> None:
    """``rows``: each row's cells by column. ``splits``: columns that add up to
    another column of the row (hiding one hides another while the total shows).
    ``derived``: column → the count column it is computed from. ``total_row``:
    a row that is the sum of ``rows`` column by column (it may be one of them)."""
    if threshold <= 0:
        return
    derived = derived or {}
    # By identity: a total row equal in value to one of the rows is still another row.
    everything = list(rows) + ([total_row] if total_row is not None and not any(r is total_row for r in rows) else [])
    for row in everything:
        for cell in row.values():
            if cell.kind == "count" and isinstance(cell.value, int) and 0 < cell.value < threshold:
                cell.hidden = True
    others = [r for r in rows if r is not total_row]
    changed = True
    while changed:
        changed = False
        for row in everything:
            for members, total in splits:
                if total is None or not row[total].hidden:
                    changed |= _hide_partner([row[m] for m in members])
        if total_row is not None:
            for key, cell in total_row.items():
                if cell.kind == "count" and not cell.hidden:
                    changed |= _hide_partner([r[key] for r in others if key in r])
        for row in everything:
            for key, source in derived.items():
                if key in row and row[source].hidden and not row[key].hidden:
                    row[key].hidden = True
                    changed = True


def hidden_figures(
    rows: Sequence[Mapping[str, int]],
    threshold: int,
    *,
    splits: Sequence[tuple[tuple[str, ...], str | None]] = (),
    derived: Mapping[str, str] | None = None,
) -> list[set[str]]:
    """For rows of plain counts, the names of each row's figures to hide; the
    ``derived`` figures (name → the count they are computed from) are named too."""
    cells = [
        {key: Cell(value) for key, value in row.items()} | {key: Cell(0, "derived") for key in derived or {}}
        for row in rows
    ]
    suppress(cells, threshold, splits=splits, derived=derived)
    return [{key for key, cell in row.items() if cell.hidden} for row in cells]
