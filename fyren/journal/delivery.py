"""Where a journal note goes besides the clinician's copy: the record systems
connected to the unit, and how far each note has come to each of them.

The journal app knows no record system: a higher floor that delivers notes
(the api's subscriptions, ``fyren/api/journal_delivery.py``) registers a
provider here at start, and the clinician's pages ask through these functions.
With no provider, or none for the unit, a note is copied into the record by hand
and marked, as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Delivery:
    receiver: str  # the record system's name
    state: str  # "waiting", "sent" or "failed"
    at: dt.datetime | None = None  # when it was received (sent) or last tried (failed)
    answer: str = ""  # the receiver's answer ("200 OK") or why it failed
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None  # None while failed: the record system must turn it on again


class Provider(Protocol):
    def receivers(self, unit) -> list[str]: ...

    def deliveries(self, exports: list) -> dict[int, list[Delivery]]: ...


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def receivers(unit) -> list[str]:
    """The record systems the unit's journal notes go to (empty: copy by hand)."""
    return [name for provider in _providers for name in provider.receivers(unit)]


def deliveries(exports: Iterable) -> dict[int, list[Delivery]]:
    """For each export (by id), how far it has come to each record system."""
    exports = list(exports)
    out: dict[int, list[Delivery]] = {e.pk: [] for e in exports}
    for provider in _providers:
        for pk, found in provider.deliveries(exports).items():
            out.setdefault(pk, []).extend(found)
    return out
