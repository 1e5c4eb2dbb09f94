"""The journal note: a period of an enrolment summarised for the medical record.

Fyren is not the medical record; clinicians copy this note into it (or send the
FHIR Bundle). Building the summary reads the database; turning it into text is
pure, so the wording is easy to test."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fyren.care.models import ModuleProgress
from fyren.flags.models import Flag
from fyren.instruments.scoring import band_label, primary_score_id
from fyren.messaging.models import Message
from fyren.programs.models import Module, text_in
from fyren.questionnaires.models import Response

from .models import JournalExport


@dataclass
class ScoreLine:
    code: str
    name: str
    date: dt.date
    value: float
    band: str
    baseline: float | None
    baseline_date: dt.date | None

    @property
    def change(self):
        return None if self.baseline is None else self.value - self.baseline


@dataclass
class Summary:
    enrolment: Any  # care.Enrolment
    start: dt.date
    end: dt.date
    lang: str
    program: str = ""
    modules_done: list = field(default_factory=list)  # (title, date)
    scores: list[ScoreLine] = field(default_factory=list)
    flags: list = field(default_factory=list)  # Flag rows raised in the period
    from_citizen: int = 0
    from_team: int = 0
    message_dates: list = field(default_factory=list)
    responses: list = field(default_factory=list)  # completed responses in the period (for FHIR)
    messages: list = field(default_factory=list)  # sent messages in the period (for FHIR)
    earlier_exports: list = field(default_factory=list)  # exports overlapping this period


def _in_period(value: dt.datetime | None, start: dt.date, end: dt.date) -> bool:
    return value is not None and start <= timezone.localtime(value).date() <= end


def summary_for(enrolment, *, start: dt.date, end: dt.date, lang: str) -> Summary:
    version = enrolment.program_version
    summary = Summary(
        enrolment=enrolment, start=start, end=end, lang=lang, program=text_in(version.title, version.languages, lang)
    )
    titles = {m.key: text_in(m.title, version.languages, lang) for m in Module.objects.filter(version=version)}
    for progress in ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).order_by(
        "completed_at"
    ):
        if _in_period(progress.completed_at, start, end):
            summary.modules_done.append(
                (titles.get(progress.module_key, "?"), timezone.localtime(progress.completed_at).date())
            )

    by_code = defaultdict(list)
    for response in Response.objects.filter(enrolment=enrolment, status="completed").order_by("submitted_at"):
        by_code[response.instrument_code].append(response)
    for _code, responses in sorted(by_code.items()):
        baseline = responses[0]
        for response in responses:
            if not _in_period(response.submitted_at, start, end):
                continue
            summary.responses.append(response)
            line = _score_line(response, baseline, lang)
            if line is not None:
                summary.scores.append(line)
    summary.scores.sort(key=lambda s: (s.date, s.code))

    summary.flags = [
        f
        for f in Flag.objects.filter(enrolment=enrolment).select_related("acknowledged_by").order_by("created_at")
        if _in_period(f.created_at, start, end)
    ]
    for message in (
        Message.objects.filter(thread__enrolment=enrolment, status="sent").select_related("sender").order_by("sent_at")
    ):
        if not _in_period(message.sent_at, start, end):
            continue
        summary.messages.append(message)
        if message.from_citizen:
            summary.from_citizen += 1
        else:
            summary.from_team += 1
        day = timezone.localtime(message.sent_at).date()
        if day not in summary.message_dates:
            summary.message_dates.append(day)
    summary.earlier_exports = list(
        JournalExport.objects.filter(enrolment=enrolment, period_start__lte=end, period_end__gte=start).select_related(
            "exported_by"
        )
    )
    return summary


def _score_line(response, baseline, lang) -> ScoreLine | None:
    definition = response.definition
    score_id = primary_score_id(definition)
    value = response.scores.get(score_id) if score_id is not None else None
    if score_id is None or value is None:
        return None
    label = band_label(definition, score_id, response.bands.get(score_id))
    base_value = baseline.scores.get(score_id) if baseline.pk != response.pk else None
    return ScoreLine(
        code=response.instrument_code,
        name=text_in(definition.get("name") or {}, preferred=lang) or response.instrument_code.upper(),
        date=timezone.localtime(response.submitted_at).date(),
        value=value,
        band=text_in(label, preferred=lang) if label else "",
        baseline=base_value,
        baseline_date=timezone.localtime(baseline.submitted_at).date() if base_value is not None else None,
    )


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def note_text(summary: Summary) -> str:
    """The note as plain text, in the summary's language, ready to paste."""
    with translation.override(summary.lang):
        lines = [
            _("Internet-based treatment in Fyren: %(program)s") % {"program": summary.program},
            _("Period: %(start)s – %(end)s") % {"start": summary.start.isoformat(), "end": summary.end.isoformat()},
            _("Status: %(status)s") % {"status": summary.enrolment.get_status_display()},
            "",
            _("Modules completed:"),
        ]
        if summary.modules_done:
            lines += [f"- {title} ({day.isoformat()})" for title, day in summary.modules_done]
        else:
            lines.append("- " + _("none in the period"))
        lines += ["", _("Rating scales:")]
        if summary.scores:
            for s in summary.scores:
                text = f"- {s.name} {s.date.isoformat()}: {_number(s.value)}"
                if s.band:
                    text += f" ({s.band})"
                if s.change is not None and s.baseline_date is not None:
                    text += ", " + _("change since baseline %(date)s: %(change)s") % {
                        "date": s.baseline_date.isoformat(),
                        "change": f"{'+' if s.change > 0 else ''}{_number(s.change)}",
                    }
                lines.append(text)
        else:
            lines.append("- " + _("no answers in the period"))
        lines += ["", _("Flags:")]
        if summary.flags:
            for f in summary.flags:
                text = f"- {timezone.localtime(f.created_at).date().isoformat()} {f.get_kind_display()}"
                if f.urgent:
                    text += " (" + _("urgent") + ")"
                if f.acknowledged_at:
                    who = f.acknowledged_by.get_full_name() if f.acknowledged_by else "?"
                    text += ": " + _("handled %(date)s by %(who)s: %(note)s") % {
                        "date": timezone.localtime(f.acknowledged_at).date().isoformat(),
                        "who": who,
                        "note": f.acknowledgement_note,
                    }
                else:
                    text += ": " + _("not yet handled")
                lines.append(text)
        else:
            lines.append("- " + _("none in the period"))
        lines += ["", _("Messages:")]
        if summary.from_citizen or summary.from_team:
            lines.append(
                "- "
                + _("%(citizen)d from the patient, %(team)d from the care team, on %(dates)s")
                % {
                    "citizen": summary.from_citizen,
                    "team": summary.from_team,
                    "dates": ", ".join(d.isoformat() for d in summary.message_dates),
                }
            )
        else:
            lines.append("- " + _("none in the period"))
        return "\n".join(lines) + "\n"


def default_period(enrolment, *, today: dt.date | None = None, days: int = 30) -> tuple[dt.date, dt.date]:
    """From the day after the last export (or the start, at most ``days`` back) until today."""
    today = today or timezone.localdate()
    last = JournalExport.objects.filter(enrolment=enrolment).order_by("-period_end").first()
    if last is not None:
        return min(last.period_end + dt.timedelta(days=1), today), today
    started = timezone.localtime(enrolment.started_at).date()
    return max(started, today - dt.timedelta(days=days)), today
