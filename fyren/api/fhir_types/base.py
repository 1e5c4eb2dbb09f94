"""What every resource provider is: the rows an access may see, its search
parameters, and the resources built by the mapping functions in ``interop/fhir/``."""

from __future__ import annotations

from django.db.models import QuerySet

from ..access import Access
from .params import Found, Params, date_q


class Provider:
    """One resource type. ``rows`` is a queryset or list in a stable order;
    ``expand`` turns a row into resources (a row may hold several: a response's
    scores, a contract's goals)."""

    type: str = ""
    params: tuple[str, ...] = ()
    patient_data = True
    one_per_row = True
    after_query: tuple[str, ...] = ()  # parameters applied to the built resources, not in the query
    includes: dict[str, str] = {}  # "_include" value → the reference path in the resource
    narrowable = True  # rows are one queryset: a scope narrowed by search parameters can hold (scopes.py)
    sorts: dict[str, str] = {}  # a "_sort" parameter → the field rows are ordered by
    last_updated = ""  # the rows' field that is meta.lastUpdated (and _lastUpdated, _since); "" when none

    def rows(self, access: Access, params: Params) -> QuerySet | list:
        raise NotImplementedError

    def expand(self, row, access: Access) -> list[Found]:
        raise NotImplementedError

    def filter_expanded(self, found: list[Found], params: Params) -> list[Found]:
        """Drop what a row expanded to but the search did not ask for (a row may
        hold several resources: a contract's goals, a response's scores)."""
        if "_id" in params:
            found = [f for f in found if f.id in ",".join(params["_id"]).split(",")]
        return found

    def rows_within(self, access: Access, params: Params, narrowing: Params) -> QuerySet | list:
        """``rows`` that also match the search parameters of a narrowed scope (AND)."""
        rows = self._updated(self.rows(access, params), params)
        if not narrowing:
            return rows
        within = self.rows(access, narrowing)
        if not isinstance(rows, QuerySet) or not isinstance(within, QuerySet):
            return []  # no narrowed scope is granted for such a type (oauth.search_params); nothing, to be safe
        return rows.filter(pk__in=within.values("pk"))

    def expand_within(self, row, access: Access, params: Params, narrowing: Params) -> list[Found]:
        found = self.filter_expanded(self.expand(row, access), params)
        found = self.filter_expanded(found, narrowing) if narrowing else found
        changed = getattr(row, self.last_updated, None) if self.last_updated else None
        if changed is not None:
            for item in found:
                item.resource["meta"] = {**item.resource.get("meta", {}), "lastUpdated": changed.isoformat()}
        return found

    def _updated(self, rows, params: Params):
        """``_lastUpdated`` (FHIR date prefixes) on the field that is meta.lastUpdated."""
        if "_lastUpdated" not in params or not self.last_updated:
            return rows
        if isinstance(rows, Chain):
            return Chain([part.filter(date_q(self.last_updated, params["_lastUpdated"])) for part in rows.parts])
        return rows.filter(date_q(self.last_updated, params["_lastUpdated"]))

    def total(self, access: Access, params: Params, narrowing: Params) -> int:
        """How many resources the search matches: rows counted by the database, or
        (a row holding several, or a parameter applied after the query) the
        resources its rows expand to."""
        rows = self.rows_within(access, params, narrowing)
        if self.one_per_row and not set(self.after_query) & (set(params) | set(narrowing)):
            return len(rows) if isinstance(rows, list) else rows.count()
        return sum(len(self.expand_within(row, access, params, narrowing)) for row in rows)

    def read(self, access: Access, resource_id: str, narrowing: Params | None = None) -> Found | None:
        """The resource, or None when absent, not visible or outside the narrowing (the same answer)."""
        narrowing = narrowing or {}
        for row in self.rows_within(access, {"_id": [resource_id]}, narrowing)[:1]:
            for found in self.expand_within(row, access, {}, narrowing):
                if found.id == resource_id:
                    return found
        return None


def found(entries: list[dict], resource_type: str, citizen_id: int | None) -> list[Found]:
    out = []
    for entry in entries:
        resource = entry["resource"]
        if resource["resourceType"] != resource_type:
            continue
        resource_id = entry["fullUrl"].split("/", 1)[1]
        out.append(Found(resource_id, {"resourceType": resource_type, "id": resource_id, **resource}, citizen_id))
    return out


class Chain:
    """Several querysets read as one sequence (sliced and counted across)."""

    def __init__(self, parts: list[QuerySet]):
        self.parts = parts

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def __iter__(self):
        for part in self.parts:
            yield from part

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        out: list = []
        for part in self.parts:
            size = part.count()
            if start >= size:
                start -= size
                if stop is not None:
                    stop -= size
                continue
            end = None if stop is None else min(stop, size)
            out.extend(part[start:end])
            if stop is not None:
                stop -= size
                if stop <= 0:
                    break
            start = 0
        return out
