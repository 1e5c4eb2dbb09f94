"""An enrolment's kept summary: the figures the unit's dashboard filters, sorts
and pages by, stored on the enrolment so the database can do it for ten
thousand patients at a unit (decisions: "The dashboard pages in the database").

- ``last_activity_at``: the latest thing done from the citizen's side — work on
  an element, a diary entry, a completed questionnaire, a completed module, a
  message sent — or the start;
- ``open_flags`` / ``urgent_flags``: flags not yet acknowledged (and of those the urgent);
- ``unread_messages``: the citizen's side's sent messages the team has not read;
- ``module_number`` / ``module_count``: the first module not done, in the
  program's order (the last if all are done), of how many.

Apps above care add their part without care importing them: each registers, in
its ``AppConfig.ready()``, the latest thing the citizen's side did there
(``register_activity``: messaging's messages, questionnaires' completed
responses) and the counts it keeps on the enrolment (``register_count``:
messaging's unread messages).

Every service that changes one of these refreshes it inside its own
transaction: the care and messaging services call ``summary_refresh``; the
flags and questionnaire services send ``fyren.lib.signals.enrolment_changed``,
which this app receives. Each refresh recomputes the part from the rows themselves (one UPDATE, or three queries for
the module), so a kept value cannot drift from what it summarises;
``summaries_refresh_all`` does the same for many enrolments at once (the
migration, the demo, the national data generator)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from fyren.flags.models import Flag
from fyren.programs.models import Module, ProgramVersion

from .models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress

PARTS = ("activity", "flags", "unread", "module")

# () → a subquery: the latest time the citizen's side did something (correlated to OuterRef("pk"))
Activity = Callable[[], Subquery]
_activity: list[Activity] = []
# part → [(the enrolment's field, () → a count correlated to OuterRef("pk"))]
_counts: dict[str, list[tuple[str, Callable[[], Any]]]] = defaultdict(list)


def register_activity(latest: Activity) -> None:
    """An app above care adds what the citizen's side does there to ``last_activity_at``."""
    if latest not in _activity:
        _activity.append(latest)


def register_count(part: str, field: str, count: Callable[[], Any]) -> None:
    """An app above care keeps a count on the enrolment, refreshed with ``part``."""
    if part not in PARTS:
        raise ValueError(f"Unknown summary part {part!r}")
    if (field, count) not in _counts[part]:
        _counts[part].append((field, count))


def latest(rows, field: str, per: str = "enrolment") -> Subquery:
    """The latest ``field`` among ``rows`` (correlated to the enrolment; ``per`` is
    the column that is the same for all of them), for ``register_activity``."""
    return Subquery(rows.order_by().values(per).annotate(m=Max(field)).values("m")[:1], output_field=DateTimeField())


def _latest(model, field: str, **extra):
    return Coalesce(latest(model.objects.filter(enrolment=OuterRef("pk"), **extra), field), "started_at")


def last_activity_expression():
    """The latest thing done from the citizen's side in the enrolment (``pk``), or its start."""
    return Greatest(
        _latest(ElementAnswer, "updated_at"),
        _latest(DiaryEntry, "created_at"),
        _latest(ModuleProgress, "completed_at"),
        *(Coalesce(source(), "started_at") for source in _activity),
    )


def count_of(queryset, per: str = "enrolment"):
    """How many rows of ``queryset`` (correlated to the enrolment), 0 for none."""
    counted = queryset.order_by().values(per).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _expressions(parts) -> dict:
    out = {}
    if "activity" in parts:
        out["last_activity_at"] = last_activity_expression()
    if "flags" in parts:
        open_flags = Flag.objects.filter(enrolment=OuterRef("pk"), acknowledged_at__isnull=True)
        out["open_flags"] = count_of(open_flags)
        out["urgent_flags"] = count_of(open_flags.filter(urgent=True))
    for part in parts:
        for field, count in _counts.get(part, ()):
            out[field] = count()
    return out


def module_position(keys: list, done: set) -> tuple[int, int]:
    """(the first module not done, counted from 1 — the last if all are done; how many)."""
    for number, key in enumerate(keys, start=1):
        if key not in done:
            return number, len(keys)
    return len(keys), len(keys)


def _modules_refresh(ids: list[int]) -> None:
    rows = list(Enrolment.objects.filter(pk__in=ids).values_list("pk", "program_version_id"))
    keys = defaultdict(list)
    for version_id, key in (
        Module.objects.filter(version_id__in={v for _pk, v in rows})
        .order_by("position", "pk")
        .values_list("version_id", "key")
    ):
        keys[version_id].append(key)
    done = defaultdict(set)
    for enrolment_id, key in ModuleProgress.objects.filter(
        enrolment_id__in=ids, completed_at__isnull=False
    ).values_list("enrolment_id", "module_key"):
        done[enrolment_id].add(key)
    changed = []
    for pk, version_id in rows:
        number, count = module_position(keys[version_id], done[pk])
        changed.append(Enrolment(pk=pk, module_number=number, module_count=count))
    Enrolment.objects.bulk_update(changed, ["module_number", "module_count"])


def summary_refresh(enrolment_ids: Iterable[int | None], parts: Iterable[str] = PARTS) -> None:
    """Recompute the given parts of the enrolments' kept summary (inside the caller's transaction)."""
    ids = sorted({i for i in enrolment_ids if i})
    parts = set(parts)
    if not ids:
        return
    expressions = _expressions(parts)
    if expressions:
        Enrolment.objects.filter(pk__in=ids).update(**expressions)
    if "module" in parts:
        _modules_refresh(ids)


def summaries_refresh_all(enrolments=None, *, chunk: int = 5000) -> int:
    """Recompute every part for many enrolments (all of them by default), a chunk
    at a time; returns how many."""
    queryset = enrolments if enrolments is not None else Enrolment.objects.all()
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        summary_refresh(ids[start : start + chunk])
    return len(ids)


def on_enrolment_changed(sender, *, enrolment_ids, parts, **kwargs) -> None:
    summary_refresh(enrolment_ids, parts)


def inactive_enrolments(now: dt.datetime):
    """Active enrolments whose program's inactivity days have passed since their
    last activity, selected in the database on the kept column (one condition
    per distinct number of days among the programs), for the jobs that flag and
    remind; not an actor's read (nothing is shown)."""
    condition = Q()
    for days in set(ProgramVersion.objects.filter(inactivity_days__gt=0).values_list("inactivity_days", flat=True)):
        before = now - dt.timedelta(days=days)
        condition |= Q(program_version__inactivity_days=days) & (
            Q(last_activity_at__lte=before) | Q(last_activity_at__isnull=True, started_at__lte=before)
        )
    if not condition:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(condition, status=Enrolment.Status.ACTIVE)
