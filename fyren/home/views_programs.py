"""The citizen's programs: one program's plan with what is due and unread, the
download of their own work, and the programs open for self-enrolment with their
screening gate. A workspace's pages: they gather from programs, care,
questionnaires and messaging."""

import base64

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.care import services as care_services
from fyren.care.journey import content_language, enrolment_for_user_or_404, plan_for
from fyren.care.models import DiaryEntry, ElementAnswer, Enrolment
from fyren.flags.models import Flag
from fyren.instruments.gate import gate_refuses
from fyren.instruments.scoring import score
from fyren.lib.forms import message_call
from fyren.messaging.selectors import unread_count_for_citizen_user
from fyren.organisations.models import CareUnit
from fyren.people.selectors import citizen_of_user
from fyren.programs import elements as kinds
from fyren.programs.models import ProgramVersion, UnitProgram
from fyren.programs.tree import load_tree
from fyren.questionnaires import services as questionnaire_services
from fyren.questionnaires.models import Response, ScheduledSend


@citizen_required
def plan(request, enrolment_id):
    """My plan: every module with its state, the next step, what is due."""
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    due = ScheduledSend.objects.filter(enrolment=enrolment, completed_at__isnull=True, due_on__lte=timezone.localdate())
    unread = unread_count_for_citizen_user(request.user, enrolment=enrolment)
    return render(
        request,
        "home/plan.html",
        {
            "enrolment": enrolment,
            "plan": the_plan,
            "lang": content_language(enrolment),
            "due": due,
            "unread": unread,
            "responsible": [user.display_name for user in enrolment.clinicians.all()],
            "modules": the_plan.modules_with_steps(),
        },
    )


@citizen_required
def download(request, enrolment_id):
    """The program's content and the citizen's own work as one self-contained
    HTML file (images embedded), to keep after the program has ended."""
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    # A tree of its own (not the one shared by every request): this page writes onto it.
    the_plan = plan_for(enrolment, tree=load_tree(enrolment.program_version))
    answers = {a.element_key: a for a in ElementAnswer.objects.filter(enrolment=enrolment)}
    entries: dict = {}
    for entry in DiaryEntry.objects.filter(enrolment=enrolment).order_by("day"):
        entries.setdefault(entry.element_key, []).append(entry)
    for element in the_plan.tree.elements():
        element.answer, element.entries, element.data_uri = answers.get(element.key), entries.get(element.key, []), ""
        if element.kind == kinds.IMAGE and element.asset_id and element.asset.size <= 5 * 2**20:
            with element.asset.file.open("rb") as fh:
                encoded = base64.b64encode(fh.read()).decode()
            element.data_uri = f"data:{element.asset.content_type};base64,{encoded}"
    responses = Response.objects.filter(enrolment=enrolment, status=Response.Status.COMPLETED).order_by("submitted_at")
    html = render_to_string(
        "home/download.html",
        {
            "enrolment": enrolment,
            "plan": the_plan,
            "lang": content_language(enrolment),
            "responses": responses,
            "generated": timezone.now(),
        },
        request=request,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fyren-{enrolment.pk}-{timezone.localdate()}.html"'
    return response


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
    return render(request, "home/open_programs.html", {"offers": offers, "lang": get_language()})


@citizen_required
def open_program(request, offer_id):
    """The description is shown before starting; starting may go through screening."""
    me = _me(request)
    offer = _offer_or_404(offer_id)
    version = _version(offer)
    running = Enrolment.objects.filter(
        citizen=me, program_version__program=offer.program, status__in=Enrolment.OPEN_STATUSES
    ).first()
    too_young_or_old = version.age_refusal(me.age_on())
    if request.method == "POST":
        if running is not None:
            return redirect("home:plan", enrolment_id=running.pk)
        if too_young_or_old:  # the start is not offered; a forged POST is told the same
            messages.error(request, too_young_or_old)
            return redirect("home:open_program", offer_id=offer.pk)
        instrument = (version.screening or {}).get("instrument")
        if instrument:
            response = questionnaire_services.response_start(
                actor=request.user, citizen=me, instrument_code=instrument, language=get_language(), screening_for=offer
            )
            return redirect("questionnaires:answer", response_id=response.pk)
        return _enrol(request, me, offer, version)
    return render(
        request,
        "home/open_program.html",
        {
            "offer": offer,
            "version": version,
            "running": running,
            "too_young_or_old": too_young_or_old,
            "lang": get_language(),
        },
    )


def _enrol(request, me, offer, version):
    started = message_call(
        request,
        lambda: care_services.enrolment_start(
            actor=request.user,
            citizen=me,
            program_version=version,
            unit=offer.unit,
            start_kind=Enrolment.StartKind.SELF,
        ),
        _("Welcome! Your program has started."),
    )
    if not started:
        return redirect("home:open_program", offer_id=offer.pk)
    return redirect("home:plan", enrolment_id=started.result.pk)


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
            return redirect("home:plan", enrolment_id=running.pk)
        return _enrol(request, me, offer, version)
    contacted = Flag.objects.filter(
        kind=Flag.Kind.SCREENING, source_type="screening_response", source_id=str(response.pk)
    ).exists()
    return render(
        request,
        "home/screening_refused.html",
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
    care_services.screening_contact_request(actor=request.user, citizen=me, unit=offer.unit, response=response)
    messages.success(
        request,
        _("Thank you. %(unit)s will contact you, usually within %(hours)s hours.")
        % {"unit": offer.unit.name, "hours": offer.unit.answer_within_hours},
    )
    return redirect("home:screening_outcome", offer_id=offer.pk, response_id=response.pk)
