"""Self-enrolment: programs open to citizens, with an optional screening gate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.flags.models import Flag
from fyren.instruments.gate import gate_refuses
from fyren.instruments.scoring import score
from fyren.organisations.models import CareUnit
from fyren.people.selectors import citizen_of_user
from fyren.programs.models import ProgramVersion, UnitProgram
from fyren.questionnaires import services as questionnaire_services
from fyren.questionnaires.models import Response

from . import services
from .models import Enrolment


def _me(request):
    me = citizen_of_user(request.user)
    if me is None:
        raise Http404
    return me


def _offers():
    return UnitProgram.objects.filter(
        active=True, self_enrolment=True, unit__in=CareUnit.objects.active_on()
    ).select_related("unit", "unit__region", "program")


def _version(offer) -> ProgramVersion:
    version = offer.program.versions.filter(status=ProgramVersion.Status.PUBLISHED).first()
    if version is None:
        raise Http404
    return version


def _offer_or_404(offer_id) -> UnitProgram:
    offer = _offers().filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


@citizen_required
def open_programs(request):
    published = Prefetch(
        "program__versions",
        queryset=ProgramVersion.objects.filter(status=ProgramVersion.Status.PUBLISHED),
        to_attr="published",
    )
    offers = [
        (offer, offer.program.published[0])
        for offer in _offers().order_by("unit__region__name", "unit__name").prefetch_related(published)
        if offer.program.published
    ]
    return render(request, "care/open_programs.html", {"offers": offers, "lang": get_language()})


@citizen_required
def open_program(request, offer_id):
    """The description is shown before starting; starting may go through screening."""
    me = _me(request)
    offer = _offer_or_404(offer_id)
    version = _version(offer)
    running = Enrolment.objects.filter(
        citizen=me, program_version__program=offer.program, status__in=Enrolment.OPEN_STATUSES
    ).first()
    if request.method == "POST":
        if running is not None:
            return redirect("care:plan", enrolment_id=running.pk)
        instrument = (version.screening or {}).get("instrument")
        if instrument:
            response = questionnaire_services.response_start(
                actor=request.user, citizen=me, instrument_code=instrument, language=get_language(), screening_for=offer
            )
            return redirect("questionnaires:answer", response_id=response.pk)
        return _enrol(request, me, offer, version)
    return render(
        request,
        "care/open_program.html",
        {"offer": offer, "version": version, "running": running, "lang": get_language()},
    )


def _enrol(request, me, offer, version):
    try:
        enrolment = services.enrolment_start(
            actor=request.user,
            citizen=me,
            program_version=version,
            unit=offer.unit,
            start_kind=Enrolment.StartKind.SELF,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("care:open_program", offer_id=offer.pk)
    messages.success(request, _("Welcome! Your program has started."))
    return redirect("care:plan", enrolment_id=enrolment.pk)


@citizen_required
def screening_outcome(request, offer_id, response_id):
    me = _me(request)
    offer = _offer_or_404(offer_id)
    response = Response.objects.filter(
        pk=response_id, citizen=me, screening_for=offer, status=Response.Status.COMPLETED
    ).first()
    if response is None:
        raise Http404
    version = _version(offer)
    result = score(response.definition, response.answers, sex=me.legal_sex)
    if not gate_refuses(version.screening or {}, response.definition, response.answers, result):
        running = Enrolment.objects.filter(
            citizen=me, program_version__program=offer.program, status__in=Enrolment.OPEN_STATUSES
        ).first()
        if running is not None:
            return redirect("care:plan", enrolment_id=running.pk)
        return _enrol(request, me, offer, version)
    contacted = Flag.objects.filter(
        kind=Flag.Kind.SCREENING, source_type="screening_response", source_id=str(response.pk)
    ).exists()
    return render(
        request,
        "care/screening_refused.html",
        {"offer": offer, "version": version, "response": response, "urgent": response.urgent, "contacted": contacted},
    )


@citizen_required
@require_POST
def screening_contact(request, offer_id, response_id):
    """The citizen agrees that the unit contacts them: a flag for the unit, and a
    care relation so its clinicians may see the citizen."""
    me = _me(request)
    offer = _offer_or_404(offer_id)
    response = Response.objects.filter(
        pk=response_id, citizen=me, screening_for=offer, status=Response.Status.COMPLETED
    ).first()
    if response is None:
        raise Http404
    services.screening_contact_request(actor=request.user, citizen=me, unit=offer.unit, response=response)
    messages.success(
        request,
        _("Thank you. %(unit)s will contact you, usually within %(hours)s hours.")
        % {"unit": offer.unit.name, "hours": offer.unit.answer_within_hours},
    )
    return redirect("care:screening_outcome", offer_id=offer.pk, response_id=response.pk)
