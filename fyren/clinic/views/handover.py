"""Handovers between units, and the journal export."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import has_role, unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write
from fyren.booking.selectors import bookings_of_patient
from fyren.care import team_services
from fyren.care.models import Handover
from fyren.careplans.selectors import contract_for_clinician_or_404, contract_of_patient
from fyren.episodes.selectors import episodes_at_unit
from fyren.interop.fhir.bundle import journal_bundle as build
from fyren.journal import delivery, services
from fyren.journal.models import JournalExport
from fyren.journal.notes import default_period, note_text, summary_for
from fyren.lib.forms import form_call, message_call

from .. import selectors as workspace
from ..forms import JournalPeriodForm
from ..selectors import enrolment_for_clinician_or_404


@staff_required
def handovers(request, unit_id):
    """Handovers waiting for this unit to accept, and the unit's own requests."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    incoming = workspace.handovers_incoming_for(actor=request.user, unit=unit)
    outgoing = list(
        Handover.objects.filter(from_unit=unit).select_related("to_unit", "decided_by", "enrolment__program_version")[
            :50
        ]
    )
    return render(request, "clinic/handovers.html", {"unit": unit, "incoming": incoming, "outgoing": outgoing})


@staff_required
@require_POST
def handover_decide(request, unit_id, handover_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    handover = Handover.objects.filter(pk=handover_id, to_unit=unit).first()
    if handover is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    decided = message_call(
        request,
        lambda: team_services.handover_decide(actor=request.user, handover=handover, accept=accept),
        _("The enrolment is now at this unit.")
        if accept
        else _("The handover is declined; the enrolment stays where it was."),
    )
    if decided and accept and has_role(request.user, Role.CLINICIAN, unit):
        return redirect("clinic:enrolment", unit_id=unit.pk, enrolment_id=handover.enrolment_id)
    return redirect("clinic:handovers", unit_id=unit.pk)


# --- journal export -----------------------------------------------------------------------


@staff_required
def journal(request, unit_id, enrolment_id):
    """Preview the journal note for a period; marking it exported is a separate POST."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=enrolment_id)
    start, end_day = default_period(enrolment, days=settings.FYREN_JOURNAL_DEFAULT_DAYS)
    data = request.POST if request.method == "POST" else (request.GET if "period_start" in request.GET else None)
    form = JournalPeriodForm(data, initial={"period_start": start, "period_end": end_day})
    if form.is_bound and form.is_valid():
        start, end_day = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
        recorded = request.method == "POST" and form_call(
            form,
            lambda data: services.journal_export_record(
                actor=request.user, enrolment=enrolment, start=start, end=end_day, lang=get_language()
            ),
        )
        if recorded:
            connected = delivery.receivers(unit)
            if connected:
                messages.success(
                    request,
                    _("Marked as exported. It goes to %(systems)s; the note's page shows when it has arrived.")
                    % {"systems": ", ".join(connected)},
                )
            else:
                messages.success(request, _("Marked as exported. Copy the note into the medical record."))
            return redirect("clinic:journal_export", unit_id=unit.pk, export_id=recorded.result.pk)
    summary = summary_for(enrolment, start=start, end=end_day, lang=get_language())
    return render(
        request,
        "clinic/journal.html",
        {
            "unit": unit,
            "enrolment": enrolment,
            "form": form,
            "summary": summary,
            "note": note_text(summary),
            "exports": JournalExport.objects.filter(enrolment=enrolment).select_related("exported_by"),
            "receivers": delivery.receivers(unit),
        },
        status=400 if form.errors else 200,
    )


def _export_or_404(request, unit, export_id):
    export = JournalExport.objects.filter(pk=export_id, enrolment__unit=unit).first()
    if export is None:
        raise Http404
    export.enrolment = enrolment_for_clinician_or_404(actor=request.user, unit=unit, enrolment_id=export.enrolment_id)
    return export


@staff_required
def journal_export(request, unit_id, export_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    export = _export_or_404(request, unit, export_id)
    return render(
        request,
        "clinic/journal_export.html",
        {
            "unit": unit,
            "export": export,
            "enrolment": export.enrolment,
            "receivers": delivery.receivers(unit),
            "deliveries": delivery.deliveries([export])[export.pk],
        },
    )


@staff_required
def journal_bundle(request, unit_id, export_id):
    """The export as a FHIR R4 Bundle (JSON download). Logged as an export."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    export = _export_or_404(request, unit, export_id)
    enrolment = export.enrolment
    access_log_write(
        actor=request.user,
        citizen=enrolment.citizen,
        action=AccessLogEntry.Action.EXPORT,
        object_type="fhir_bundle",
        object_id=export.pk,
        role=Role.CLINICIAN,
        unit=unit,
    )
    summary = summary_for(enrolment, start=export.period_start, end=export.period_end, lang=get_language())
    contract, status = contract_of_patient(unit=unit, citizen=enrolment.citizen)
    if contract is not None and status == "accepted":
        contract = contract_for_clinician_or_404(actor=request.user, unit=unit, contract_id=contract.pk)
    else:
        contract = None
    bundle = build(
        summary,
        note=export.note,
        export=export,
        unit=unit,
        episodes=episodes_at_unit(citizen=enrolment.citizen, unit=unit),
        contract=contract,
        bookings=bookings_of_patient(unit=unit, citizen=enrolment.citizen),
    )
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="fyren-journal-{export.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
