"""The enrolment overview's reads, as ready rows: activity, weekly counts,
score series, diary, notes, flags, exports and the timeline. Called after the
logged check of the patient (``selectors.enrolment_for_clinician_or_404``); the view adds forms."""

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.audit.models import AuditEvent
from fyren.care.journey import plan_for
from fyren.care.models import DiaryEntry, ElementAnswer, Handover
from fyren.instruments.charts import series_for
from fyren.journal.models import JournalExport
from fyren.messaging.models import Message
from fyren.programs.models import Element
from fyren.programs.tree import published_tree
from fyren.questionnaires.models import Response


def enrolment_activity(enrolment, limit=20, *, elements=None, responses=None, answers=None, diary=None):
    """What was done in the enrolment and by whom (the citizen, or a guardian or
    proxy acting for them). ``elements`` (key → element), the completed
    ``responses`` (with who submitted them) and all of the enrolment's ``answers``
    and ``diary`` entries may be passed when the caller has them already."""
    labels = (
        elements
        if elements is not None
        else {e.key: e for e in Element.objects.filter(version=enrolment.program_version_id)}
    )
    if answers is None:
        answers = list(ElementAnswer.objects.filter(enrolment=enrolment))
    if diary is None:
        diary = list(DiaryEntry.objects.filter(enrolment=enrolment))
    people = get_user_model().objects.in_bulk(
        {a.updated_by_id for a in answers if a.updated_by_id} | {e.created_by_id for e in diary if e.created_by_id}
    )
    rows: list[dict[str, Any]] = []
    for answer in answers:
        rows.append(
            {
                "at": answer.updated_at,
                "who": people.get(answer.updated_by_id),
                "answer": answer,
                "element": labels.get(answer.element_key),
            }
        )
    for entry in diary:
        rows.append(
            {
                "at": entry.created_at,
                "who": people.get(entry.created_by_id),
                "entry": entry,
                "element": labels.get(entry.element_key),
            }
        )
    if responses is None:
        responses = Response.objects.filter(enrolment=enrolment, status="completed").select_related("submitted_by")
    for response in responses:
        rows.append({"at": response.submitted_at, "who": response.submitted_by, "response": response})
    for row in rows:
        row["on_behalf"] = row["who"] is not None and row["who"].pk != enrolment.citizen.user_id
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:limit]


def weekly_activity(enrolment, rows, messages_sent, weeks=12):
    """Things done per week (Monday first) for the last ``weeks`` weeks, oldest first."""
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: Counter[dt.date] = Counter()
    for at in [r["at"] for r in rows] + messages_sent:
        day = timezone.localtime(at).date()
        counts[day - dt.timedelta(days=day.weekday())] += 1
    top = max([counts[m] for m in mondays] + [1])
    return [
        {
            "week": m,
            "count": counts[m],
            "height": round(100 * counts[m] / top),
            "y": 110 - round(100 * counts[m] / top),
            "x": 10 + i * 50,
            "label_x": 28 + i * 50,
        }
        for i, m in enumerate(mondays)
    ]


def timeline(enrolment, activity, notes, flags, thread_messages, exports):
    events = [{"at": enrolment.started_at, "what": _("Program started"), "who": enrolment.started_by}]
    for row in activity:
        events.append({"at": row["at"], "what": _("Patient activity"), "who": row["who"], "detail": row})
    for note in notes:
        events.append({"at": note.created_at, "what": _("Clinician note"), "who": note.author, "text": note.text})
    for flag in flags:
        events.append({"at": flag.created_at, "what": flag.get_kind_display(), "flag": flag})
        if flag.acknowledged_at:
            events.append(
                {
                    "at": flag.acknowledged_at,
                    "what": _("Flag acknowledged"),
                    "who": flag.acknowledged_by,
                    "text": flag.acknowledgement_note,
                }
            )
    for message in thread_messages:
        what = _("Message from the patient's side") if message.from_citizen else _("Message from the care team")
        events.append({"at": message.sent_at, "what": what, "who": message.sender})
    for export in exports:
        events.append(
            {"at": export.exported_at, "what": _("Exported to the medical record"), "who": export.exported_by}
        )
    audit = AuditEvent.objects.filter(object_type="care.Enrolment", object_id=str(enrolment.pk)).select_related("actor")
    labels = {
        "enrolment.phase": _("Phase changed"),
        "enrolment.end": _("Program ended"),
        "enrolment.hide": _("Content hidden"),
        "enrolment.show": _("Content shown again"),
        "module.open": _("Module opened by the clinician"),
        "enrolment.clinicians": _("Responsible clinicians changed"),
    }
    for event in audit:
        if event.action in labels:
            events.append({"at": event.at, "what": labels[event.action], "who": event.actor})
    return sorted(events, key=lambda e: e["at"], reverse=True)


def enrolment_overview(*, enrolment) -> dict:
    """Everything the overview shows about ``enrolment`` (already checked and logged)."""
    tree = published_tree(enrolment.program_version)  # shared: read only
    responses = list(
        Response.objects.filter(enrolment=enrolment, status="completed")
        .select_related("submitted_by", "send")
        .order_by("submitted_at")
    )
    plan = plan_for(enrolment, tree=tree, responses=responses)  # the rows read once, for both
    elements = {e.key: e for e in tree.elements()}
    activity = enrolment_activity(
        enrolment,
        limit=500,
        elements=elements,
        responses=responses,
        answers=plan.answer_rows,
        diary=plan.diary_rows,
    )
    thread_messages = list(
        Message.objects.filter(thread__enrolment=enrolment, status="sent").select_related("sender").order_by("sent_at")
    )
    by_code: dict = {}
    for response in responses:
        by_code.setdefault(response.instrument_code, []).append(response)
    series = [series_for(rs) for _code, rs in sorted(by_code.items())]
    notes = list(enrolment.notes.select_related("author"))
    flags = list(enrolment.flags.select_related("acknowledged_by").order_by("-created_at"))
    exports = list(JournalExport.objects.filter(enrolment=enrolment).select_related("exported_by"))
    return {
        "tree": tree,
        "hidden": plan.hidden,
        "states": plan.states,
        "exercises": [row for row in activity if row.get("answer")],
        "weeks": weekly_activity(enrolment, activity, [m.sent_at for m in thread_messages if m.from_citizen]),
        "series": [s for s in series if s is not None],
        "notes": notes,
        "flags": flags,
        "timeline": timeline(enrolment, activity, notes, flags, thread_messages, exports)[:100],
        "diary": [
            {"entry": entry, "element": elements.get(entry.element_key)}
            for entry in plan.diary_rows[:200]  # newest first
        ],
        "exports": exports,
        "last_export": exports[0] if exports else None,
        "pending_handover": enrolment.handovers.filter(status=Handover.Status.PENDING)
        .select_related("to_unit")
        .first(),
        "responsible": list(enrolment.clinicians.all()),
        "sends": list(enrolment.sends.all()),
        "unread": sum(1 for m in thread_messages if m.from_citizen and not m.read_at),
    }
