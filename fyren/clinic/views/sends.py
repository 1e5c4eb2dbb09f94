"""Questionnaires sent in an enrolment: adding and moving a send, reading a response."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.flags.models import Flag
from fyren.instruments.definitions import name_of
from fyren.instruments.readout import item_rows
from fyren.instruments.scoring import band_label
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import next_or
from fyren.questionnaires import services as send_services
from fyren.questionnaires.models import ScheduledSend

from ..forms import SendAddForm, SendMoveForm, instrument_choices_for
from ..selectors import enrolment_for_clinician_or_404, response_for_clinician_or_404


def _back_to(request, unit, enrolment):
    """Where the clinician was (the form's ``next``), or the enrolment's overview."""
    fallback = reverse("clinic:enrolment", args=[unit.pk, enrolment.pk]) + f"#sends-{enrolment.pk}"
    return redirect(next_or(request, fallback))


@staff_required
@require_POST
def send_add(request, unit_id, enrolment_id):
    """The clinician adds a questionnaire send for this patient."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    form = SendAddForm(request.POST, choices=instrument_choices_for(enrolment), prefix=f"add{enrolment.pk}")
    if form_call(
        form,
        lambda data: send_services.send_add(
            actor=request.user, enrolment=enrolment, instrument_code=data["instrument"], due_on=data["due_on"]
        ),
    ):
        messages.success(request, _("The questionnaire is scheduled."))
    else:
        request.session[f"typed-add{enrolment.pk}"] = {
            k: v for k, v in request.POST.items() if k.startswith(f"add{enrolment.pk}-")
        }
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back_to(request, unit, enrolment)


@staff_required
@require_POST
def send_move(request, unit_id, send_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    send = ScheduledSend.objects.filter(pk=send_id, enrolment__unit=unit).first()
    if send is None:
        raise Http404
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=send.enrolment_id)
    form = SendMoveForm(request.POST, prefix=f"move{send.pk}")
    if form.is_valid():
        due_on = form.cleaned_data["due_on"]
        message_call(
            request,
            lambda: send_services.send_move(actor=request.user, send=send, due_on=due_on),
            _("The date is changed."),
        )
    else:
        messages.error(request, _("Give a valid date."))
    return _back_to(request, unit, enrolment)


@staff_required
def response_view(request, unit_id, response_id):
    """A submitted questionnaire item by item: what was asked, what the patient
    answered, each item's value, and which answers raised an alert."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    response = response_for_clinician_or_404(actor=request.user, unit=unit, response_id=response_id)
    lang = get_language()
    definition = response.definition
    names = {"total": _("total"), "raw": _("raw score"), "percent": _("percent")}
    scores = [
        {"id": names.get(key, key), "value": value, "band": band_label(definition, key, response.bands.get(key))}
        for key, value in response.scores.items()
    ]
    flags = Flag.raised_by_response(response.pk).select_related("acknowledged_by")
    return render(
        request,
        "clinic/response.html",
        {
            "unit": unit,
            "response": response,
            "name": name_of(definition, lang),
            "rows": item_rows(definition, response.answers, response.alerts, lang=lang),
            "scores": scores,
            "flags": flags,
            "lang": lang,
            "translation": (definition.get("translations") or {}).get(response.language),
        },
    )
