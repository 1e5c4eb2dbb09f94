"""The unit's patients: the list, a patient's page, registering one, emergency
access, and starting a program."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.booking.selectors import bookings_of_patient
from fyren.care import selectors, services
from fyren.care.models import Enrolment
from fyren.careplans.selectors import contract_of_patient
from fyren.episodes.forms import PathwayChoiceForm
from fyren.episodes.selectors import care_requests_sent_for, episodes_at_unit
from fyren.lib.forms import form_call, message_call
from fyren.people.services import citizen_by_number_or_create
from fyren.programs.models import ProgramVersion, UnitProgram

from ..forms import CareRelationForm, EmergencyAccessForm, StartProgramForm, send_add_form
from ..overview import enrolment_activity


@staff_required
def patient_list(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizens = selectors.citizens_in_care_at(actor=request.user, unit=unit)
    return render(request, "clinic/patient_list.html", {"unit": unit, "citizens": citizens})


@staff_required
def patient_detail(request, unit_id, citizen_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = selectors.citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    enrolments = list(
        Enrolment.objects.filter(citizen=citizen, unit=unit)
        .select_related("program_version", "program_version__program__owner")
        .prefetch_related("sends")
    )
    for enrolment in enrolments:
        enrolment.add_form = send_add_form(request, enrolment)
        enrolment.activity = enrolment_activity(enrolment)
    start_form = StartProgramForm(versions=_startable_versions(unit), prefix="start")
    contract, contract_status = contract_of_patient(unit=unit, citizen=citizen)
    return render(
        request,
        "clinic/patient_detail.html",
        {
            "unit": unit,
            "citizen": citizen,
            "enrolments": enrolments,
            "start_form": start_form,
            "episodes": episodes_at_unit(citizen=citizen, unit=unit) if citizen.in_care else [],
            "sent_requests": care_requests_sent_for(actor=request.user, unit=unit, citizen=citizen),
            "pathway_form": PathwayChoiceForm(unit=unit, prefix="pathway"),
            "contract": contract,
            "contract_status": contract_status,
            "bookings": bookings_of_patient(unit=unit, citizen=citizen)[:10] if citizen.in_care else [],
        },
    )


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
            opened = form_call(
                form,
                lambda data: services.emergency_access_open(
                    actor=request.user, unit=unit, citizen=citizen, reason=data["reason"]
                ),
            )
            if opened:
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

    def register(data):
        citizen = citizen_by_number_or_create(
            actor=request.user,
            identity_number=data["identity_number"],
            given_name=data["given_name"],
            family_name=data["family_name"],
        )
        services.care_relation_start(actor=request.user, citizen=citizen, unit=unit, reason=data["reason"])
        return citizen

    registered = request.method == "POST" and form_call(form, register)
    if registered:
        messages.success(request, _("The citizen is now a patient of the unit."))
        if has_role(request.user, Role.CLINICIAN, unit):
            return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=registered.result.pk)
        return redirect("accounts:start")
    return render(
        request, "clinic/care_relation_new.html", {"unit": unit, "form": form}, status=400 if form.errors else 200
    )


def _startable_versions(unit):
    programs = UnitProgram.objects.filter(unit=unit, active=True).values("program_id")
    return list(ProgramVersion.objects.filter(program_id__in=programs, status=ProgramVersion.Status.PUBLISHED))


@staff_required
@require_POST
def enrolment_new(request, unit_id, citizen_id):
    """Start a program for the patient, after recording the assessment."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    citizen = (
        selectors.citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
        if has_role(request.user, Role.CLINICIAN, unit)
        else None
    )
    if citizen is None:
        raise Http404
    form = StartProgramForm(request.POST, versions=_startable_versions(unit), prefix="start")
    if form.is_valid():
        data = form.cleaned_data
        started = message_call(
            request,
            lambda: services.enrolment_start(
                actor=request.user,
                citizen=citizen,
                program_version=form.versions[data["program_version"]],
                unit=unit,
                assessment={k: data[k] for k in ("indication", "reason", "risk_considered", "risk_note")},
            ),
            _("The program is started. The patient can begin."),
        )
        if started:
            return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    else:
        messages.error(request, _("Record the assessment before starting: indication, reason and risk."))
    return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
