"""The unit's settings kept by its enrolment admins: who becomes responsible for
self-enrolled citizens, and how the unit books (deadlines, reminders, the care
guarantee it is measured against)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.booking.forms import BookingRulesForm
from fyren.booking.selectors import rules_for
from fyren.booking.services import booking_rules_set
from fyren.care.assignment import policy_for, self_enrolment_policy_set
from fyren.lib.forms import form_call

from ..forms import SelfEnrolmentPolicyForm
from ..selectors import unit_clinicians


@staff_required
def unit_settings(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.ENROLMENT_ADMIN)
    clinicians = list(unit_clinicians(unit))
    policy = policy_for(unit)
    rules = rules_for(unit)
    action = request.POST.get("action", "policy") if request.method == "POST" else None
    form = SelfEnrolmentPolicyForm(
        request.POST if action == "policy" else None,
        clinicians=clinicians,
        initial={"rule": policy.rule, "clinician": policy.clinician_id or "", "admin_days": policy.admin_days},
    )
    rules_form = BookingRulesForm(
        request.POST if action == "booking" else None,
        prefix="r",
        initial={
            "change_until_hours": rules.change_until_hours,
            "remind_hours": rules.remind_hours,
            "guarantee_level": rules.guarantee_level,
            "citizen_may_change_visit_kind": rules.citizen_may_change_visit_kind,
            "assessment_professions": rules.assessment_professions,
        },
    )

    def policy_save(data):
        self_enrolment_policy_set(
            actor=request.user,
            unit=unit,
            rule=data["rule"],
            clinician=next((c for c in clinicians if str(c.pk) == data["clinician"]), None),
            admin_days=data["admin_days"] or policy.admin_days,
        )

    calls = {
        "policy": (form, policy_save, _("The rule for self-enrolments is saved.")),
        "booking": (
            rules_form,
            lambda d: booking_rules_set(actor=request.user, unit=unit, **d),
            _("The booking rules are saved."),
        ),
    }
    if action is not None:
        if action not in calls:
            raise Http404
        chosen, call, done = calls[action]
        if form_call(chosen, call):
            messages.success(request, done)
            return redirect("clinic:unit_settings", unit_id=unit.pk)
    return render(
        request,
        "clinic/unit_settings.html",
        {"unit": unit, "form": form, "rules_form": rules_form, "policy": policy},
        status=400 if action else 200,
    )
