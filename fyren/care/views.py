"""The citizen works through a program: the plan, pages, and their own entries."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.instruments.charts import score_chart
from fyren.lib.forms import message_call
from fyren.lib.http import next_or
from fyren.lib.ranges import parse_day
from fyren.programs import elements as kinds
from fyren.programs.media import asset_response, assets_by_sha
from fyren.programs.models import Step

from . import journey_services as services
from .journey import HIDDEN, content_language, enrolment_for_user_or_404, enrolments_for_user, plan_for
from .models import DiaryEntry


@citizen_required
def my_programs(request):
    return render(request, "care/my_programs.html", {"enrolments": enrolments_for_user(request.user)})


def _unavailable(request, enrolment, the_plan, step, step_key):
    """A page of this program that the citizen cannot open now explains why
    (a link kept from earlier, a bookmark) instead of a bare 404; a key that
    is no page of the enrolment's version is a 404. ``step`` is the page in the
    citizen's plan, or None when the clinician hid its part."""
    if step is not None:
        reason, module = the_plan.step_unavailable_reason(step), step.section.module
    else:
        hidden = (
            Step.objects.filter(version_id=enrolment.program_version_id, key=step_key)
            .select_related("section__module")
            .first()
        )
        if hidden is None:
            raise Http404
        reason, module = HIDDEN, hidden.section.module
    return render(
        request,
        "care/step_unavailable.html",
        {"enrolment": enrolment, "reason": reason, "module": module, "lang": content_language(enrolment)},
    )


@citizen_required
def step(request, enrolment_id, step_key):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    current = the_plan.step_by_key(step_key)
    if current is None or not the_plan.step_open(current):
        return _unavailable(request, enrolment, the_plan, current, step_key)
    module = current.section.module
    steps = the_plan.visible_steps(module)
    index = steps.index(current)
    answers = {a.element_key: a for a in the_plan.answer_rows}
    entries: dict = {}
    for entry in the_plan.diary_rows:  # newest first
        entries.setdefault(entry.element_key, []).append(entry)
    shown = []
    for element in the_plan.visible_elements(current):
        mine = entries.get(element.key, [])
        shown.append(
            ShownElement(
                element,
                answer=answers.get(element.key),
                entries=mine,
                new_token=uuid.uuid4(),
                typed=request.session.pop(f"typed-{element.key}", None),
                charts=_diary_charts(element, mine) if element.kind == kinds.DIARY else [],
            )
        )
    return render(
        request,
        "care/step.html",
        {
            "enrolment": enrolment,
            "citizen_page": True,
            "plan": the_plan,
            "step": current,
            "module": module,
            "elements": shown,
            "lang": content_language(enrolment),
            "previous": steps[index - 1] if index > 0 else None,
            "next": steps[index + 1] if index + 1 < len(steps) else None,
            "today": timezone.localdate(),
            "module_done": the_plan.states.get(str(module.key)) == "done",
            "edit_since": timezone.now() - timedelta(days=services.DIARY_EDIT_DAYS),
        },
    )


class ShownElement:
    """A program element as one citizen sees it on one page: the element (shared by
    every request on its published version, so never written to) and, beside it,
    this citizen's answer, entries and what they typed."""

    def __init__(self, element, **mine):
        self.element = element
        self.__dict__.update(mine)

    def __getattr__(self, name):
        return getattr(self.element, name)


def _diary_charts(element, entries):
    charts = []
    for field in element.content.get("fields", []):
        if field.get("type") not in ("number", "scale"):
            continue
        values = [(e.day.isoformat(), e.values[field["key"]]) for e in reversed(entries) if field["key"] in e.values]
        if len(values) >= 2:
            maximum = field.get("max") or max(v for _d, v in values)
            charts.append({"field": field, "chart": score_chart(values, maximum=maximum, bands=[])})
    return charts


def _back(element, enrolment):
    return redirect(f"/me/enrolments/{enrolment.pk}/steps/{element.step.key}/#element-{element.short_key}")


@citizen_required
@require_POST
def element_save(request, enrolment_id, element_key):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    element = the_plan.open_element_or_404(element_key)
    raw = {
        "text": request.POST.get("text", ""),
        "value": request.POST.get("value", ""),
        "ticked": request.POST.getlist("ticked"),
        "fields": {k.removeprefix("field-"): v for k, v in request.POST.items() if k.startswith("field-")},
    }
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        services.element_answer_save(
            actor=request.user, enrolment=enrolment, element=element, raw=raw, send=request.POST.get("action") == "send"
        )
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if autosave:
            return JsonResponse({"ok": False, "errors": [message]}, status=400)
        messages.error(request, message)
        request.session[f"typed-{element.key}"] = raw  # nothing typed is lost
        return _back(element, enrolment)
    if autosave:
        return JsonResponse({"ok": True, "message": _("Saved.")})
    messages.success(request, _("Sent to your clinician.") if request.POST.get("action") == "send" else _("Saved."))
    return _back(element, enrolment)


@citizen_required
@require_POST
def diary_add(request, enrolment_id, element_key):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    element = the_plan.open_element_or_404(element_key)
    raw = {f["key"]: request.POST.get(f"field-{f['key']}", "") for f in element.content.get("fields", [])}
    try:
        day = parse_day(request.POST.get("day"), default=timezone.localdate())
        services.diary_entry_add(
            actor=request.user,
            enrolment=enrolment,
            element=element,
            day=day,
            raw=raw,
            client_token=request.POST.get("client_token") or uuid.uuid4(),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        request.session[f"typed-{element.key}"] = {**raw, "day": request.POST.get("day", "")[:20]}  # kept
    else:
        messages.success(request, _("The entry is saved."))
    return _back(element, enrolment)


@citizen_required
@require_POST
def module_complete(request, enrolment_id, module_key):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    try:
        services.module_complete(actor=request.user, enrolment=enrolment, module_key=module_key)
    except (ValidationError, PermissionDenied):
        raise Http404 from None
    messages.success(request, _("Well done! The module is marked as done."))
    return redirect("home:plan", enrolment_id=enrolment.pk)


@citizen_required
@require_POST
def language_choose(request, enrolment_id):
    """Follow the program in another of its languages; back to the page it was chosen on."""
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    message_call(
        request,
        lambda: services.enrolment_language_choose(
            actor=request.user, enrolment=enrolment, language=request.POST.get("language", "")
        ),
    )
    return redirect(next_or(request, reverse("home:plan", args=[enrolment.pk])))


@citizen_required
def element_file(request, enrolment_id, element_key):
    """An image, video, recording or file of a page the citizen can open now."""
    element = plan_for(enrolment_for_user_or_404(request.user, enrolment_id)).open_element_or_404(element_key)
    if element.asset_id is None:
        raise Http404
    return asset_response(element.asset)


@citizen_required
def element_spoken(request, enrolment_id, element_key, lang):
    """The recording of a text in one of the program's languages."""
    element = plan_for(enrolment_for_user_or_404(request.user, enrolment_id)).open_element_or_404(element_key)
    sha = kinds.spoken_files(element.kind, element.content).get(lang)
    asset = assets_by_sha([sha] if sha else []).get(sha or "")
    if asset is None:
        raise Http404
    return asset_response(asset)


@citizen_required
def diary_edit(request, enrolment_id, entry_id):
    """Change a diary entry within the days it may be changed."""
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    entry = DiaryEntry.objects.filter(pk=entry_id, enrolment=enrolment).first()
    if entry is None:
        raise Http404
    the_plan = plan_for(enrolment)
    element = the_plan.open_element_or_404(entry.element_key)
    error = ""
    if request.method == "POST":
        raw = {f["key"]: request.POST.get(f"field-{f['key']}", "") for f in element.content.get("fields", [])}
        try:
            services.diary_entry_update(actor=request.user, entry=entry, element=element, raw=raw)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            entry.values = raw  # show what was typed
        else:
            messages.success(request, _("The entry is saved."))
            return _back(element, enrolment)
    return render(
        request,
        "care/diary_edit.html",
        {
            "enrolment": enrolment,
            "entry": entry,
            "element": element,
            "lang": content_language(enrolment),
            "error": error,
        },
        status=400 if error else 200,
    )
