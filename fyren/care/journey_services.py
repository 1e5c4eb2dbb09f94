"""The citizen's writes while working through a program: exercises (drafts and
sending for feedback), checklists, measurements, diary entries and completing
modules. Each checks that the enrolment is open and the module is open."""

from __future__ import annotations

import datetime as dt
import math
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.lib.ranges import date_in_range, number_range
from fyren.lib.text import typed_text
from fyren.programs import elements as kinds
from fyren.programs.unlocking import DONE, OPEN

from .journey import content_language, plan_for
from .models import DiaryEntry, ElementAnswer, Enrolment, ModuleProgress
from .signals import module_opened
from .summary import summary_refresh

DIARY_EDIT_DAYS = 7


def _require_open(enrolment: Enrolment, plan, element=None, module=None):
    if not enrolment.is_open:
        raise PermissionDenied(_("The program has ended; you can read but not change your work."))
    module = module or (element.step.section.module if element is not None else None)
    if module is not None and plan.states.get(str(module.key)) not in (OPEN, DONE):
        raise PermissionDenied(_("This part of the program is not open yet."))


def _number(text, low, high, unit: str = ""):
    low, high = number_range(unit, low, high)
    try:
        number = float(str(text).replace(",", ".").replace("\u2212", "-").strip())
    except ValueError:
        raise ValidationError(_("Write a number.")) from None
    if not math.isfinite(number) or number < low or number > high:
        raise ValidationError(_("Write a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return int(number) if number.is_integer() else number


def element_answer_save(*, actor, enrolment: Enrolment, element, raw: dict, send: bool = False) -> ElementAnswer:
    """Save the citizen's work on an exercise, checklist or measurement. Exercises
    stay drafts until ``send`` (for the clinician's feedback)."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        plan = plan_for(enrolment)
        element = next((e for e in plan.tree.elements() if e.key == element.key), None)
        if element is None:
            raise ValidationError(_("The element is not part of this program."))
        _require_open(enrolment, plan, element)
        if element.kind == kinds.EXERCISE:
            if element.content.get("mode") == "worksheet":
                keys = {f["key"] for f in element.content.get("fields", [])}
                fields = {k: typed_text(v, limit=4000) for k, v in (raw.get("fields") or {}).items() if k in keys}
                value = {"fields": fields}
                empty = not any(v.strip() for v in fields.values())
            else:
                value = {"text": typed_text(raw.get("text", ""), limit=10_000)}
                empty = not value["text"].strip()
            if send and empty:
                raise ValidationError(_("Write something before you send it."))
        elif element.kind == kinds.CHECKLIST:
            keys = {i["key"] for i in element.content.get("items", [])}
            value = {"ticked": sorted(k for k in raw.get("ticked", []) if k in keys)}
        elif element.kind == kinds.MEASUREMENT:
            value = {
                "value": _number(
                    raw.get("value", ""),
                    element.content.get("min"),
                    element.content.get("max"),
                    element.content.get("unit", ""),
                ),
                "unit": element.content.get("unit", ""),
            }
        else:
            raise ValidationError(_("This element takes no answer."))
        answer, _created = ElementAnswer.objects.select_for_update().get_or_create(
            enrolment=enrolment, element_key=element.key, defaults={"value": value, "updated_by": actor}
        )
        if answer.status == ElementAnswer.Status.SENT and element.kind == kinds.EXERCISE:
            if not send:
                raise ValidationError(_("You have already sent this exercise."))
            return answer  # sending twice changes nothing
        answer.value, answer.updated_by = value, actor
        answer.language = content_language(enrolment)
        if element.kind == kinds.EXERCISE:
            answer.status = ElementAnswer.Status.SENT if send else ElementAnswer.Status.DRAFT
            if send:
                answer.sent_at = timezone.now()
        else:
            answer.status = ElementAnswer.Status.SAVED
        answer.save()
        summary_refresh([enrolment.pk], ["activity"])
    return answer


def _diary_values(element, raw: dict) -> dict:
    values, problems = {}, {}
    for field in element.content.get("fields", []):
        key, text = field["key"], str(raw.get(field["key"], "")).strip()
        if not text:
            continue
        try:
            if field.get("type") in ("number", "scale"):
                values[key] = _number(text, field.get("min"), field.get("max"), field.get("unit", ""))
            elif field.get("type") == "time":
                values[key] = dt.time.fromisoformat(text).strftime("%H:%M")
            else:
                values[key] = typed_text(text, limit=1000)
        except (ValidationError, ValueError) as exc:
            problems[key] = exc.messages[0] if isinstance(exc, ValidationError) else _("Write a time such as 22:30.")
    if problems:
        raise ValidationError(problems)
    if not values:
        raise ValidationError(_("Fill in at least one field."))
    return values


def diary_entry_add(*, actor, enrolment: Enrolment, element, day: dt.date, raw: dict, client_token) -> DiaryEntry:
    """Add one diary entry. The same ``client_token`` never adds twice."""
    try:
        client_token = uuid.UUID(str(client_token))
    except ValueError:
        raise ValidationError(_("The form was incomplete. Reload the page and try again.")) from None
    with transaction.atomic():
        existing = DiaryEntry.objects.filter(client_token=client_token, enrolment=enrolment).first()
        if existing is not None:
            return existing
        plan = plan_for(enrolment)
        element = next((e for e in plan.tree.elements() if e.key == element.key and e.kind == kinds.DIARY), None)
        if element is None:
            raise ValidationError(_("The element is not part of this program."))
        _require_open(enrolment, plan, element)
        if day > timezone.localdate():
            raise ValidationError({"day": _("The day cannot be in the future.")})
        # A week before the start covers writing down the nights just before it.
        started = timezone.localtime(enrolment.started_at).date()
        date_in_range(day, earliest=started - dt.timedelta(days=7), latest=timezone.localdate(), field="day")
        entry = DiaryEntry.objects.create(
            enrolment=enrolment,
            element_key=element.key,
            day=day,
            values=_diary_values(element, raw),
            client_token=client_token,
            created_by=actor,
            language=content_language(enrolment),
        )
        summary_refresh([enrolment.pk], ["activity"])
        return entry


def diary_entry_update(*, actor, entry: DiaryEntry, element, raw: dict) -> DiaryEntry:
    """Change an entry within a week of writing it."""
    with transaction.atomic():
        entry = DiaryEntry.objects.select_for_update().select_related("enrolment").get(pk=entry.pk)
        if not entry.enrolment.is_open:
            raise PermissionDenied(_("The program has ended; you can read but not change your work."))
        if timezone.now() - entry.created_at > dt.timedelta(days=DIARY_EDIT_DAYS):
            raise ValidationError(_("Entries can be changed for %(days)d days.") % {"days": DIARY_EDIT_DAYS})
        entry.values = _diary_values(element, raw)
        entry.save(update_fields=["values", "updated_at"])
    return entry


def module_complete(*, actor, enrolment: Enrolment, module_key) -> ModuleProgress:
    """Mark a module done; by the program's rule the next one may open, and
    questionnaires set for "before each module" are then scheduled."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        before = plan_for(enrolment)
        module = next((m for m in before.tree.modules if str(m.key) == str(module_key)), None)
        if module is None:
            raise ValidationError(_("The module is not part of this program."))
        _require_open(enrolment, before, module=module)
        progress, _created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module_key=module.key)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.opened_at = progress.opened_at or progress.completed_at
            progress.save()
            after = plan_for(enrolment)
            for key, state in after.states.items():
                if state == OPEN and before.states.get(key) != OPEN:
                    ModuleProgress.objects.update_or_create(
                        enrolment=enrolment, module_key=key, defaults={"opened_at": timezone.now()}
                    )
                    module_opened.send(sender=Enrolment, enrolment=enrolment, actor=actor, on=timezone.localdate())
            summary_refresh([enrolment.pk], ["activity", "module"])
    return progress


def enrolment_language_choose(*, actor, enrolment: Enrolment, language: str) -> Enrolment:
    """The citizen follows the program in another of its languages (blank: the
    page's). Their earlier answers keep the language they were written in."""
    if language and language not in enrolment.program_version.languages:
        raise ValidationError(_("The program is not written in that language."))
    Enrolment.objects.filter(pk=enrolment.pk).update(language=language)
    enrolment.language = language
    return enrolment
