"""Care episodes and care requests in the clinician workspace: a patient's
episodes with their measurement points, lead times and waits; sending a care
request to another unit; and the unit's incoming requests."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.roles import Role
from fyren.booking.selectors import bookings_of_patient
from fyren.booking.waits import visit_waits
from fyren.care.selectors import citizen_get_for_clinician
from fyren.episodes import selectors as episodes
from fyren.episodes import services
from fyren.episodes.forms import (
    CareRequestForm,
    CorrectForm,
    DecideForm,
    PathwayChoiceForm,
    PauseEndForm,
    PauseForm,
    PointForm,
)
from fyren.episodes.models import Pathway
from fyren.lib.forms import form_call


@staff_required
@require_POST
def episode_new(request, unit_id, citizen_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    form = PathwayChoiceForm(request.POST, unit=unit)
    if not form.is_valid():
        raise Http404
    episode = services.episode_open(
        actor=request.user, citizen=citizen, unit=unit, pathway=form.cleaned_data["pathway"]
    )
    messages.success(request, _("The care episode is opened. Record its points below."))
    return redirect("clinic:episode", unit_id=unit.pk, episode_id=episode.pk)


@staff_required
def episode_view(request, unit_id, episode_id):
    """One episode: points with their history, lead times against the pathway's
    targets and between every two points, waits; forms to record and correct."""
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    waiting = episodes.waiting_request_of(unit=unit, episode_id=episode_id)
    if waiting is not None:
        # Not in the unit's care yet: the request is what the unit may read (and must decide).
        return redirect("clinic:care_request", unit_id=unit.pk, request_id=waiting)
    episode = episodes.episode_for_clinician_or_404(actor=request.user, unit=unit, episode_id=episode_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    forms = {
        "record": PointForm(post if action == "record" else None, prefix="record"),
        "correct": CorrectForm(post if action == "correct" else None, prefix="correct"),
        "pause": PauseForm(post if action == "pause" else None, prefix="pause"),
        "pause_end": PauseEndForm(post if action == "pause_end" else None, prefix="end"),
        "pathway": PathwayChoiceForm(
            post if action == "pathway" else None, unit=unit, prefix="pathway", initial={"pathway": episode.pathway_id}
        ),
    }
    actor = request.user
    calls = {
        "record": lambda d: services.episode_point_record(
            actor=actor, episode=episode, point=d["point"], at=d["at"], note=d["note"]
        ),
        "correct": lambda d: services.episode_point_correct(
            actor=actor, episode=episode, point=d["point"], at=d["at"], reason=d["reason"]
        ),
        "pause": lambda d: services.episode_pause_add(
            actor=actor,
            episode=episode,
            kind=d["kind"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            reason=d["reason"],
        ),
        "pause_end": lambda d: services.episode_pause_end(
            actor=actor, pause=_pause_of(episode, d["pause"]), ends_on=d["ends_on"]
        ),
        "pathway": lambda d: services.episode_pathway_set(actor=actor, episode=episode, pathway=d["pathway"]),
    }
    if action in calls:
        if form_call(forms[action], calls[action]):
            messages.success(request, _("Saved."))
            return redirect("clinic:episode", unit_id=unit.pk, episode_id=episode.pk)
    elif action is not None:
        raise Http404
    today = timezone.localdate()
    received = episodes.point_dates(episode).get("B")
    return render(
        request,
        "clinic/episode.html",
        {
            "unit": unit,
            "episode": episode,
            "citizen": episode.citizen,
            "table": episodes.lead_table(episode, today=today),
            "forms": forms,
            "failed": action,
            "days_since_b": (today - received).days if received and not episode.is_closed else None,
            "visits": visit_waits(
                [
                    b
                    for b in bookings_of_patient(unit=unit, citizen=episode.citizen)
                    if b.slot.starts_at >= episode.opened_at
                ],
                received=received,
            ),
        },
        status=400 if action else 200,
    )


def _pause_of(episode, pause_id):
    pause = next((p for p in episode.pauses.all() if p.pk == pause_id), None)
    if pause is None:
        raise ValidationError(_("No such wait."))
    return pause


@staff_required
def care_request_new(request, unit_id, citizen_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN)
    citizen = citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id)
    form = CareRequestForm(request.POST or None, from_unit=unit, initial={"client_token": uuid.uuid4()})
    if request.method == "POST":

        def send(d):
            pathway: Pathway | None = d["pathway"]
            return services.care_request_send(
                actor=request.user,
                citizen=citizen,
                from_unit=unit,
                to_unit=d["to_unit"],
                reason=d["reason"],
                client_token=d["client_token"],
                pathway=pathway,
                decided_at=d["decided_at"],
            )

        if form_call(form, send):
            messages.success(request, _("The care request is sent."))
            return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    return render(
        request,
        "clinic/care_request_new.html",
        {"unit": unit, "citizen": citizen, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def care_requests(request, unit_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    return render(
        request,
        "clinic/care_requests.html",
        {"unit": unit, "requests": episodes.care_requests_incoming(actor=request.user, unit=unit)},
    )


@staff_required
def care_request_view(request, unit_id, request_id):
    unit = unit_for_role_or_404(request.user, unit_id, Role.CLINICIAN, Role.ENROLMENT_ADMIN)
    care_request = episodes.care_request_for_receiver_or_404(actor=request.user, unit=unit, request_id=request_id)
    form = DecideForm(request.POST or None)
    if request.method == "POST":

        def decide(d):
            services.care_request_decide(
                actor=request.user, request=care_request, accept=d["decision"] == "accept", reason=d["reason"]
            )

        if form_call(form, decide):
            messages.success(request, _("The position is recorded."))
            return redirect("clinic:care_requests", unit_id=unit.pk)
    return render(
        request,
        "clinic/care_request.html",
        {"unit": unit, "care_request": care_request, "form": form},
        status=400 if form.errors else 200,
    )
