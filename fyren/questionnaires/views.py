"""The citizen answers questionnaires and follows their results."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.instruments.charts import series_for
from fyren.instruments.items import enabled_items, options_of
from fyren.instruments.scoring import score
from fyren.lib.http import id_or_none
from fyren.people.selectors import citizen_of_user
from fyren.programs.models import Element

from . import selectors, services

ONE_PER_SCREEN_KEY = "fyren_one_question_per_screen"


def _me(request):
    me = citizen_of_user(request.user)
    if me is None:
        raise Http404
    return me


@citizen_required
@require_POST
def start(request, send_id):
    me = _me(request)
    send = selectors.send_for_citizen_or_404(me, send_id)
    response = services.response_start(
        actor=request.user,
        citizen=me,
        instrument_code=send.instrument_code,
        language=get_language(),
        enrolment=send.enrolment,
        send=send,
    )
    return redirect("questionnaires:answer", response_id=response.pk)


def _number(value) -> int:
    """A question's position from the form or the address; anything else is the first."""
    return min(id_or_none(value) or 0, 10_000)


def _raw(request, items):
    raw = {}
    for item in items:
        name = f"q-{item['link_id']}"
        if item["type"] == "multi":
            if name in request.POST or f"{name}-shown" in request.POST:
                raw[item["link_id"]] = request.POST.getlist(name)
        elif name in request.POST:
            raw[item["link_id"]] = request.POST.get(name, "")
    return raw


def _question_view(definition, item, answers, lang, errors):
    return {
        "item": item,
        "name": f"q-{item['link_id']}",
        "text": item["text"].get(lang) or next(iter(item["text"].values())),
        "options": [
            {
                "code": str(o["code"]),
                "text": o["text"].get(lang, ""),
                "checked": str(o["code"])
                in (
                    answers.get(item["link_id"])
                    if isinstance(answers.get(item["link_id"]), list)
                    else [str(answers.get(item["link_id"]))]
                ),
            }
            for o in options_of(definition, item)
        ],
        "value": answers.get(item["link_id"], ""),
        "error": errors.get(item["link_id"]),
    }


@citizen_required
def answer(request, response_id):
    """All questions on one page, or one question per screen (for small phones)."""
    me = _me(request)
    response = selectors.response_for_citizen_or_404(me, response_id)
    if response.status == response.Status.COMPLETED:
        return redirect("questionnaires:result", response_id=response.pk)
    if "one" in request.GET:
        request.session[ONE_PER_SCREEN_KEY] = request.GET["one"] == "1"
    one = request.session.get(ONE_PER_SCREEN_KEY, False)
    definition, lang = response.definition, response.language
    errors, missing, status = {}, [], 200
    if request.method == "POST":
        items = enabled_items(definition, {**response.answers})
        action = request.POST.get("action", "save")
        if action == "submit":
            try:
                services.response_submit(
                    actor=request.user,
                    response=response,
                    client_token=request.POST.get("client_token"),
                    raw=_raw(request, enabled_items(definition, response.answers) or items),
                )
            except services.IncompleteAnswers as exc:
                errors, missing = exc.errors, exc.missing
                response.refresh_from_db()
            except services.StaleForm as exc:
                messages.error(request, " ".join(exc.messages))
                response.refresh_from_db()
                status = 400
            else:
                if response.screening_for_id:
                    return redirect(
                        "home:screening_outcome", offer_id=response.screening_for_id, response_id=response.pk
                    )
                return redirect("questionnaires:result", response_id=response.pk)
        else:
            response, errors = services.response_save_draft(
                actor=request.user, response=response, raw=_raw(request, items)
            )
            if not errors:
                if action == "later":
                    messages.success(request, _("Your answers are saved. You can continue later."))
                    return redirect("home:overview")
                position = _number(request.POST.get("position"))
                position += 1 if action == "next" else -1 if action == "previous" else 0
                return redirect(f"{request.path}?q={max(0, position)}")
    items = enabled_items(definition, response.answers)
    questions = [_question_view(definition, item, response.answers, lang, errors) for item in items]
    if missing:
        for question in questions:
            if question["item"]["link_id"] in missing and not question["error"]:
                question["error"] = _("Answer this question.")
    position = min(_number(request.GET.get("q")), max(0, len(questions) - 1))
    shown = [questions[position]] if one and questions else questions
    return render(
        request,
        "questionnaires/answer.html",
        {
            "response": response,
            "definition": definition,
            "lang": lang,
            "questions": shown,
            "one": one,
            "position": position,
            "count": len(questions),
            "has_errors": bool(errors or missing),
            "is_last": not one or position >= len(questions) - 1,
        },
        status=400 if (errors or missing or status == 400) else 200,
    )


def _show_result(response) -> bool:
    if response.send_id and response.send.element_key:
        element = Element.objects.filter(
            version=response.enrolment.program_version_id, key=response.send.element_key
        ).first()
        if element is not None:
            return bool(element.content.get("show_result", True))
    return True


@citizen_required
def result(request, response_id):
    me = _me(request)
    response = selectors.response_for_citizen_or_404(me, response_id)
    if response.status != response.Status.COMPLETED:
        return redirect("questionnaires:answer", response_id=response.pk)
    definition, lang = response.definition, get_language()
    outcome = score(definition, response.answers, sex=me.legal_sex)
    bands = [
        (spec["id"], response.scores.get(spec["id"]), outcome.bands.get(spec["id"]))
        for spec in definition["scoring"]["scores"]
    ]
    return render(
        request,
        "questionnaires/result.html",
        {
            "response": response,
            "definition": definition,
            "lang": lang,
            "urgent": response.urgent,
            "show_result": _show_result(response),
            "bands": [b for b in bands if b[2] is not None],
        },
    )


@citizen_required
def history(request, code):
    me = _me(request)
    responses = list(selectors.history_for(me, code))
    if not responses:
        raise Http404
    series = series_for(responses)
    if series is None:
        raise Http404
    return render(
        request,
        "questionnaires/history.html",
        {"series": series, "definition": series.definition, "lang": get_language()},
    )
