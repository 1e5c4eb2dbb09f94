"""The unit's settings kept by its enrolment admins: who becomes responsible for
self-enrolled citizens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.care.assignment import policy_for, self_enrolment_policy_set

from .forms import SelfEnrolmentPolicyForm
from .selectors import unit_clinicians


@staff_required
def unit_settings(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.ENROLMENT_ADMIN)
    clinicians = list(unit_clinicians(unit))
    policy = policy_for(unit)
    form = SelfEnrolmentPolicyForm(
        request.POST or None,
        clinicians=clinicians,
        initial={"rule": policy.rule, "clinician": policy.clinician_id or "", "admin_days": policy.admin_days},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            self_enrolment_policy_set(
                actor=request.user,
                unit=unit,
                rule=data["rule"],
                clinician=next((c for c in clinicians if str(c.pk) == data["clinician"]), None),
                admin_days=data["admin_days"] or policy.admin_days,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The rule for self-enrolments is saved."))
            return redirect("clinic:unit_settings", unit_id=unit.pk)
    return render(
        request,
        "clinic/unit_settings.html",
        {"unit": unit, "form": form, "policy": policy},
        status=400 if form.errors else 200,
    )
