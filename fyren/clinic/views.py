from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.care import selectors, services
from fyren.people.models import Citizen
from fyren.people.services import citizen_create

from .forms import CareRelationForm, EmergencyAccessForm


@staff_required
def patient_list(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizens = selectors.citizens_in_care_at(actor=request.user, unit=unit)
    return render(request, "clinic/patient_list.html", {"unit": unit, "citizens": citizens})


@staff_required
def patient_detail(request, unit_id, citizen_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = selectors.citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    return render(request, "clinic/patient_detail.html", {"unit": unit, "citizen": citizen})


@staff_required
def emergency_access(request, unit_id):
    """Open emergency access (nödåtkomst) to a citizen outside any care relation."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen = selectors.citizen_lookup_for_emergency(identity_number=form.cleaned_data["identity_number"])
        if citizen is None:
            form.add_error("identity_number", _("No citizen with this number is registered in Fyren."))
        else:
            try:
                services.emergency_access_open(
                    actor=request.user, unit=unit, citizen=citizen, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.warning(request, _("Emergency access is open. It is recorded and will be reviewed."))
                return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    return render(
        request, "clinic/emergency_access.html", {"unit": unit, "form": form}, status=400 if form.errors else 200
    )


@staff_required
def care_relation_new(request, unit_id):
    """Register a citizen as a patient of the unit (opens a care relation)."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    form = CareRelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        citizen = Citizen.objects.filter(identity_number=data["identity_number"]).first()
        try:
            if citizen is None:
                if not data["given_name"] or not data["family_name"]:
                    raise ValidationError(_("This citizen is not registered yet: give the given and family name."))
                citizen = citizen_create(
                    actor=request.user,
                    identity_number=data["identity_number"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                )
            services.care_relation_start(actor=request.user, citizen=citizen, unit=unit, reason=data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The citizen is now a patient of the unit."))
            if has_role(request.user, Role.CLINICIAN, unit):
                return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
            return redirect("accounts:start")
    return render(
        request, "clinic/care_relation_new.html", {"unit": unit, "form": form}, status=400 if form.errors else 200
    )
