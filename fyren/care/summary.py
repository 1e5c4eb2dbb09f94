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

Every service that changes one of these refreshes it inside its own
transaction: the care and messaging services call ``summary_refresh``; the
flags and questionnaire services, on floors below, send
``fyren.lib.signals.enrolment_changed``, which this app receives. Each refresh
recomputes the part from the rows themselves (one UPDATE, or three queries for
the module), so a kept value cannot drift from what it summarises;
``summaries_refresh_all`` does the same for many enrolments at once (the
migration, the demo, the national data generator)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from fyren.flags.models import Flag
from fyren.messaging.models import Message
from fyren.programs.models import Module, ProgramVersion
from fyren.questionnaires.models import Response

from .models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress

PARTS = ("activity", "flags", "unread", "module")


def _latest(model, field: str, **extra):
    rows = model.objects.filter(enrolment=OuterRef("pk"), **extra).order_by().values("enrolment")
    return Coalesce(Subquery(rows.annotate(m=Max(field)).values("m")[:1], output_field=DateTimeField()), "started_at")


def last_activity_expression():
    """The latest thing done from the citizen's side in the enrolment (``pk``), or its start."""
    messages = (
        Message.objects.filter(thread__enrolment=OuterRef("pk"), from_citizen=True, status="sent")
        .order_by()
        .values("thread")
        .annotate(m=Max("sent_at"))
        .values("m")[:1]
    )
    return Greatest(
        _latest(ElementAnswer, "updated_at"),
        _latest(DiaryEntry, "created_at"),
        _latest(Response, "submitted_at", status="completed"),
        _latest(ModuleProgress, "completed_at"),
        Coalesce(Subquery(messages, output_field=DateTimeField()), "started_at"),
    )


def _count(queryset, per: str = "enrolment"):
    """How many rows of ``queryset`` (correlated to the enrolment), 0 for none."""
    counted = queryset.order_by().values(per).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _expressions(parts) -> dict:
    out = {}
    if "activity" in parts:
        out["last_activity_at"] = last_activity_expression()
    if "flags" in parts:
        open_flags = Flag.objects.filter(enrolment=OuterRef("pk"), acknowledged_at__isnull=True)
        out["open_flags"] = _count(open_flags)
        out["urgent_flags"] = _count(open_flags.filter(urgent=True))
    if "unread" in parts:
        unread = Message.objects.filter(
            thread__enrolment=OuterRef("pk"), from_citizen=True, status="sent", read_at__isnull=True
        )
        out["unread_messages"] = _count(unread, per="thread")
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
