"""An enrolment's overview, and what the clinician does there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.care import services as care_services
from fyren.care import team_services
from fyren.care.models import ElementAnswer, Handover
from fyren.care.services import exercise_feedback_give
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none, next_or
from fyren.organisations.models import CareUnit, Region

from .. import selectors as workspace
from ..forms import ClinicianChoiceForm, EndForm, HandoverForm, NoteForm, send_add_form
from ..overview import enrolment_overview
from ..selectors import enrolment_for_clinician_or_404

# --- the enrolment ------------------------------------------------------------------------


@staff_required
def enrolment_view(request, unit_id, enrolment_id):
    """The enrolment's overview: activity, scores, progress, work, timeline, actions."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    data = enrolment_overview(enrolment=enrolment)
    clinicians = list(workspace.unit_clinicians(unit))
    return render(
        request,
        "clinic/enrolment.html",
        {
            **data,
            "unit": unit,
            "enrolment": enrolment,
            "citizen": enrolment.citizen,
            "lang": get_language(),
            "note_form": NoteForm(),
            "end_form": EndForm(),
            "clinician_form": ClinicianChoiceForm(
                clinicians=clinicians, initial={"clinicians": [str(c.pk) for c in data["responsible"]]}
            ),
            "add_form": send_add_form(request, enrolment),
        },
    )


def _enrolment_action(view):
    """Shared frame of the POST actions on an enrolment: unit, logged read, back to the overview."""

    @staff_required
    @require_POST
    def wrapper(request, unit_id, enrolment_id):
        unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
        enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
        done = message_call(request, lambda: view(request, unit, enrolment))
        if done and done.result:
            messages.success(request, done.result)
        return redirect(next_or(request, reverse("clinic:enrolment", args=[unit.pk, enrolment.pk])))

    wrapper.__name__ = view.__name__
    return wrapper


@_enrolment_action
def note_add(request, unit, enrolment):
    team_services.clinician_note_add(actor=request.user, enrolment=enrolment, text=request.POST.get("text", ""))
    return _("The note is saved.")


@_enrolment_action
def visibility_set(request, unit, enrolment):
    hidden = request.POST.get("hidden") == "1"
    team_services.content_visibility_set(
        actor=request.user, enrolment=enrolment, key=request.POST.get("key", ""), hidden=hidden
    )
    return _("Hidden for this patient.") if hidden else _("Shown to the patient again.")


@_enrolment_action
def module_open(request, unit, enrolment):
    team_services.module_open(actor=request.user, enrolment=enrolment, module_key=request.POST.get("key", ""))
    return _("The module is open for the patient.")


@_enrolment_action
def phase_set(request, unit, enrolment):
    maintenance = request.POST.get("phase") == "maintenance"
    team_services.enrolment_phase_set(actor=request.user, enrolment=enrolment, maintenance=maintenance)
    return _("The enrolment is in its maintenance phase.") if maintenance else _("The enrolment is active again.")


@_enrolment_action
def end(request, unit, enrolment):
    form = EndForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose how the program ended."))
    care_services.enrolment_end(
        actor=request.user,
        enrolment=enrolment,
        completed=form.cleaned_data["outcome"] == "completed",
        reason=form.cleaned_data["reason"],
    )
    return _("The program is ended. The patient keeps read access to the material.")


@_enrolment_action
def clinicians_set(request, unit, enrolment):
    clinicians = list(workspace.unit_clinicians(unit))
    form = ClinicianChoiceForm(request.POST, clinicians=clinicians)
    if not form.is_valid():
        raise ValidationError(_("Choose clinicians of this unit."))
    chosen = set(form.cleaned_data["clinicians"])
    team_services.enrolment_clinicians_set(
        actor=request.user, enrolment=enrolment, clinicians=[c for c in clinicians if str(c.pk) in chosen]
    )
    return _("The responsible clinicians are changed.")


@staff_required
def handover_request(request, unit_id, enrolment_id):
    """Ask another unit to take the patient over: a page of its own (not a form on
    every view of the enrolment), the receiving unit chosen among one region's units
    at a time — the clinician's own region first."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    back = reverse("clinic:enrolment", args=[unit.pk, enrolment.pk])
    pending = enrolment.handovers.filter(status=Handover.Status.PENDING).select_related("to_unit").first()
    regions = {r.pk: r for r in Region.objects.filter(units__in=CareUnit.objects.active_on()).distinct()}
    asked = id_or_none(request.POST.get("region") if request.method == "POST" else request.GET.get("region")) or 0
    region = regions.get(asked) or regions.get(unit.region_id) or next(iter(regions.values()), None)
    units = CareUnit.objects.active_on().filter(region=region).exclude(pk=unit.pk).order_by("name")
    if request.method == "POST" and pending is None:
        form = HandoverForm(request.POST, units=units)
        if form_call(
            form,
            lambda d: team_services.handover_request(
                actor=request.user, enrolment=enrolment, to_unit=units.get(pk=d["to_unit"]), reason=d["reason"]
            ),
        ):
            messages.success(request, _("The receiving unit is asked to accept the handover."))
            return redirect(back)
    else:
        form = HandoverForm(units=units)
    return render(
        request,
        "clinic/handover_new.html",
        {
            "unit": unit,
            "enrolment": enrolment,
            "form": form,
            "regions": list(regions.values()),
            "region": region,
            "pending": pending,
            "back": back,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- handover, the receiving side ---------------------------------------------------------


@staff_required
@require_POST
def feedback_give(request, unit_id, answer_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    answer = ElementAnswer.objects.filter(pk=answer_id, enrolment__unit=unit).select_related("enrolment").first()
    if answer is None:
        raise Http404
    enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=answer.enrolment_id)
    text = request.POST.get("feedback", "")
    message_call(
        request,
        lambda: exercise_feedback_give(actor=request.user, answer=answer, text=text),
        _("Your feedback is sent."),
    )
    return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=answer.enrolment.citizen_id)
