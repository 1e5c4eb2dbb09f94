"""How apps on higher floors add to what accounts shows and keeps without
accounts importing them: each registers a function in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

# (user, units where the user works with patients) → {unit id: count of urgent flags waiting}
UrgentCounts = Callable[[object, list], dict[int, int]]
_urgent_counters: list[UrgentCounts] = []


def register_urgent_counter(counter: UrgentCounts) -> None:
    if counter not in _urgent_counters:
        _urgent_counters.append(counter)


def urgent_counts(user, units) -> dict[int, int]:
    totals: dict[int, int] = {}
    for counter in _urgent_counters:
        for unit_id, n in counter(user, units).items():
            totals[unit_id] = totals.get(unit_id, 0) + n
    return totals


# (unit, the user's roles there) → groups of links (objects with ``label`` and ``links``)
UnitMenu = Callable[[object, set], list]
_unit_menu: list[UnitMenu] = []


def register_unit_menu(menu: UnitMenu) -> None:
    """The workspace registers what each role may open at a unit (one source for
    the start page and the workspace's menu bar)."""
    _unit_menu[:] = [menu]


def unit_menu(unit, roles) -> list:
    return _unit_menu[0](unit, roles) if _unit_menu else []


# A citizen's page language is kept on the citizen (the notices use it too), which
# stands above the logins: people registers how to read and set it.
LanguageRead = Callable[[object], str]
LanguageWrite = Callable[[object, str], None]
_citizen_language: list[tuple[LanguageRead, LanguageWrite]] = []


def register_citizen_language(read: LanguageRead, write: LanguageWrite) -> None:
    _citizen_language[:] = [(read, write)]


def citizen_language() -> tuple[LanguageRead, LanguageWrite] | None:
    """(read, write) of a citizen user's page language, or None when no app keeps it."""
    return _citizen_language[0] if _citizen_language else None
