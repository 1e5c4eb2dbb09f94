"""Patient contracts in the clinician workspace: start one, build it (units,
fixed care contacts, plans, goals, activities), answer invitations, and the
unit's routine for fixed care contacts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.booking.selectors import bookings_of_patient
from fyren.care.selectors import citizen_get_for_clinician
from fyren.careplans import selectors as plans
from fyren.careplans import services
from fyren.careplans.forms import (
    ActivityForm,
    ActivityStatusForm,
    AnswerForm,
    FixedContactForm,
    GoalForm,
    GoalStatusForm,
    InviteForm,
    MemberForm,
    PlanForm,
    RoutineForm,
)
from fyren.careplans.models import Activity, FixedContactRoutine, Goal
from fyren.lib.forms import form_call, message_call

from ..selectors import unit_clinicians


@staff_required
@require_POST
def contract_start(request, unit_id, citizen_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    started: dict = {}
    if not message_call(
        request,
        lambda: started.setdefault("contract", services.contract_start(actor=request.user, unit=unit, citizen=citizen)),
        _("The patient contract is open."),
    ):
        return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    return redirect("clinic:contract", unit_id=unit.pk, contract_id=started["contract"].pk)


def _own(objects, pk, unit):
    """One of the contract's objects held by the unit (a refusal otherwise)."""
    found = next((o for o in objects if o.pk == pk and o.unit_id == unit.pk), None)
    if found is None:
        raise ValidationError(_("Choose something your unit holds in this contract."))
    return found


@staff_required
def contract_view(request, unit_id, contract_id):
    """The whole contract as this unit may see it, with forms for what the unit adds."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    contract = plans.contract_for_clinician_or_404(actor=request.user, unit=unit, contract_id=contract_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    clinicians = unit_clinicians(unit)
    own_goals = Goal.objects.filter(contract=contract, unit=unit)
    in_contract = [p.unit_id for p in contract.participant_list if p.status in ("invited", "accepted")]
    contact = next((c for c in contract.contact_list if c.unit_id == unit.pk), None)
    programs = plans.programs_here(contract, unit)
    forms = {
        "invite": InviteForm(post if action == "invite" else None, exclude=in_contract, prefix="invite"),
        "contact": FixedContactForm(
            post if action == "contact" else None,
            clinicians=clinicians,
            prefix="contact",
            initial={"person": contact.person_id, "how_to_reach": contact.how_to_reach} if contact else None,
        ),
        "plan": PlanForm(post if action == "plan" else None, prefix="plan", programs=programs),
        "member": MemberForm(post if action == "member" else None, prefix="member"),
        "goal": GoalForm(post if action == "goal" else None, prefix="goal", programs=programs),
        "goal_status": GoalStatusForm(post if action == "goal_status" else None, prefix="gs"),
        "activity": ActivityForm(
            post if action == "activity" else None,
            clinicians=clinicians,
            goals=own_goals,
            programs=programs,
            visits=[b for b in bookings_of_patient(unit=unit, citizen=contract.citizen) if b.is_current],
            prefix="activity",
        ),
        "activity_status": ActivityStatusForm(post if action == "activity_status" else None, prefix="as"),
    }
    actor = request.user
    base = {"actor": actor, "contract": contract, "unit": unit}
    calls = {
        "invite": lambda d: services.contract_invite(**base, invited_unit=d["unit"], note=d["note"]),
        "contact": lambda d: services.fixed_contact_set(**base, person=d["person"], how_to_reach=d["how_to_reach"]),
        "plan": lambda d: services.plan_save(**base, **{**d, "enrolment": _program(programs, d["enrolment"])}),
        "member": lambda d: services.plan_member_add(
            actor=actor,
            plan=_own(contract.plan_list, d["plan"], unit),
            name=d["name"],
            role=d["role"],
            organisation=d["organisation"],
            contact=d["contact"],
        ),
        "goal": lambda d: services.goal_save(
            **base,
            **{k: v for k, v in d.items() if k != "measurement"},
            measurement=_measurement(programs, d["measurement"]),
        ),
        "goal_status": lambda d: services.goal_status_set(
            actor=actor, goal=_own(contract.goal_list, d["goal"], unit), unit=unit, status=d["status"]
        ),
        "activity": lambda d: services.activity_save(
            **base,
            **{k: v for k, v in d.items() if k not in ("visit", "enrolment")},
            enrolment=_program(programs, d["enrolment"]),
            booking=d["visit"],
        ),
        "activity_status": lambda d: services.activity_status_set(
            actor=actor, activity=_own(contract.activity_list, d["activity"], unit), unit=unit, status=d["status"]
        ),
    }
    if action in calls:
        if form_call(forms[action], calls[action]):
            messages.success(request, _("Saved. The patient sees the change."))
            return redirect("clinic:contract", unit_id=unit.pk, contract_id=contract.pk)
    elif action is not None:
        raise Http404
    routine = FixedContactRoutine.objects.filter(unit=unit).first()
    return render(
        request,
        "clinic/contract.html",
        {
            "unit": unit,
            "contract": contract,
            "citizen": contract.citizen,
            "forms": forms,
            "failed": action,
            "own_plans": [p for p in contract.plan_list if p.unit_id == unit.pk],
            "upcoming": plans.upcoming(contract),
            "routine": routine,
            "goal_statuses": Goal.Status.choices,
            "activity_statuses": Activity.Status.choices,
        },
        status=400 if action else 200,
    )


def _program(programs, value: str):
    """The patient's program here chosen in a form (None for none)."""
    if not value:
        return None
    found = next((p for p in programs if str(p.enrolment.pk) == value), None)
    if found is None:
        raise ValidationError(_("Choose a program of this patient at your unit."))
    return found.enrolment


def _measurement(programs, value: str):
    """(enrolment, measurement element) chosen as "<enrolment>:<element key>"."""
    if not value:
        return None
    enrolment_id, _sep, key = value.partition(":")
    found = next((p for p in programs if str(p.enrolment.pk) == enrolment_id), None)
    element = next((m for m in found.measurements if str(m.key) == key), None) if found else None
    if found is None or element is None:
        raise ValidationError(_("Choose a measurement in one of the patient's programs here."))
    return found.enrolment, element


@staff_required
def contract_invitations(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    return render(
        request,
        "clinic/contract_invitations.html",
        {"unit": unit, "invitations": plans.invitations_for(actor=request.user, unit=unit), "form": AnswerForm()},
    )


@staff_required
def contract_invitation(request, unit_id, participant_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    participant = plans.invitation_for_unit_or_404(actor=request.user, unit=unit, participant_id=participant_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":

        def answer(d):
            services.invitation_answer(
                actor=request.user, participant=participant, accept=d["decision"] == "accept", reason=d["reason"]
            )

        if form_call(form, answer):
            if form.cleaned_data["decision"] == "accept" and has_role(request.user, Role.CLINICIAN, unit):
                messages.success(request, _("Your unit takes part in the contract."))
                return redirect("clinic:contract", unit_id=unit.pk, contract_id=participant.contract_id)
            messages.success(request, _("The answer is recorded."))
            return redirect("clinic:contract_invitations", unit_id=unit.pk)
    return render(
        request,
        "clinic/contract_invitation.html",
        {"unit": unit, "participant": participant, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def fixed_contact_routine(request, unit_id):
    """The unit's documented routine for appointing fixed care contacts."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.ENROLMENT_ADMIN)
    routine = FixedContactRoutine.objects.filter(unit=unit).select_related("updated_by").first()
    initial = {"text": routine.text, "reviewed_on": routine.reviewed_on} if routine else None
    form = RoutineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form_call(
        form,
        lambda d: services.routine_save(actor=request.user, unit=unit, text=d["text"], reviewed_on=d["reviewed_on"]),
    ):
        messages.success(request, _("The routine is saved."))
        return redirect("clinic:fixed_contact_routine", unit_id=unit.pk)
    return render(
        request,
        "clinic/fixed_contact_routine.html",
        {"unit": unit, "form": form, "routine": routine},
        status=400 if form.errors else 200,
    )
