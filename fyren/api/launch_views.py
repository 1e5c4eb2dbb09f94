"""The pages a record system's launch passes through (SMART EHR launch;
``ehr_launch.py`` does the talking to the record system, docs/api.md):

- ``/smart/launch``: the record system's launch URL; sends the browser on to its
  authorisation server;
- ``/smart/redirect``: the redirect URI; takes the launch context back, logs in
  the clinician a trusted record system vouches for, and goes on to
- ``/smart/land``: after Fyren's own staff login (with its second factor) when
  no trusted identity came; lands on the patient's enrolment at the right unit,
  the access log naming the launch.
"""

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fyren.accounts.decorators import AUTH_METHOD_KEY, staff_is_strongly_authenticated, staff_required
from fyren.accounts.selectors import staff_by_hsa_id
from fyren.care.models import Enrolment
from fyren.care.selectors import launch_landing

from . import ehr_launch
from .models import LaunchingRecordSystem

LAUNCH_METHOD = "smart-launch"


def _refused(request, error: ehr_launch.LaunchError, status: int = 400):
    return render(request, "api/launch_error.html", {"message": str(error)}, status=status)


@require_GET
@never_cache
def smart_launch(request):
    try:
        url = ehr_launch.begin(request.session, request.GET.get("iss", ""), request.GET.get("launch", ""))
    except ehr_launch.LaunchError as error:
        return _refused(request, error)
    return redirect(url)


@require_GET
@never_cache
def smart_redirect(request):
    try:
        context = ehr_launch.complete(request.session, request.GET)
    except ehr_launch.LaunchError as error:
        return _refused(request, error)
    if context.clinician_hsa_id:
        vouched = staff_by_hsa_id(context.clinician_hsa_id)
        if vouched is not None and not (request.user == vouched and staff_is_strongly_authenticated(request)):
            login(request, vouched, backend="django.contrib.auth.backends.ModelBackend")
            request.session[AUTH_METHOD_KEY] = LAUNCH_METHOD
        elif vouched is None and request.user.is_authenticated:
            # The record system named a clinician Fyren does not know: whoever is logged in here is not them.
            logout(request)
    ehr_launch.keep(request.session, context)
    return redirect("smart_land")


@never_cache
@staff_required
def smart_land(request):
    context = ehr_launch.kept(request.session)
    record_system = (
        LaunchingRecordSystem.objects.filter(pk=context.record_system_id, active=True).first() if context else None
    )
    if context is None or record_system is None:
        return _refused(request, ehr_launch.expired(), status=404)
    ehr_launch.forget(request.session)
    citizen, unit, enrolments = launch_landing(
        actor=request.user,
        units=list(record_system.units.all()),
        identity_number=context.identity_number,
        reason=context.reason(),
        prefer_unit_hsa_id=context.unit_hsa_id,
    )
    if citizen is None:
        return render(request, "api/launch_none.html", {"record_system": record_system}, status=404)
    open_ones = [e for e in enrolments if e.status in Enrolment.OPEN_STATUSES]
    if len(open_ones) == 1 or len(enrolments) == 1:
        chosen = (open_ones or enrolments)[0]
        return redirect("clinic:enrolment", unit_id=unit.pk, enrolment_id=chosen.pk)
    if not enrolments:
        return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    enrolments.sort(key=lambda e: e.status not in Enrolment.OPEN_STATUSES)
    return render(
        request,
        "api/launch_choose.html",
        {"record_system": record_system, "citizen": citizen, "unit": unit, "enrolments": enrolments},
    )
