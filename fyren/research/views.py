"""Research pages: the data administrator's projects and exports, and the
citizen's consent page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required, staff_required
from fyren.lib.forms import form_call, message_call
from fyren.programs.models import Program

from . import selectors, services
from .forms import ProjectForm
from .models import Export, Project
from .selectors import project_asking_or_404, project_for_or_404, projects_asking, projects_for


@staff_required
def projects(request):
    regions = selectors.regions_for_registering(request.user)
    if not regions.exists():
        raise Http404
    form = ProjectForm(
        request.POST or None,
        regions=regions,
        programs=Program.objects.filter(
            pk__in=[p.pk for region in regions for p in selectors.programs_of_region(region)]
        ),
    )
    made: dict = {}

    def register(d):
        made["project"] = services.project_register(actor=request.user, **d)

    if request.method == "POST" and form_call(form, register):
        messages.success(request, _("The project is registered; the data administrator approves it."))
        return redirect("research:project", made["project"].pk)
    return render(
        request,
        "research/projects.html",
        {"projects": projects_for(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def project(request, project_id):
    the_project = project_for_or_404(request.user, project_id)
    if request.method == "POST":
        action = request.POST.get("action")
        calls = {
            "approve": lambda: services.project_approve(actor=request.user, project=the_project),
            "close": lambda: services.project_close(actor=request.user, project=the_project),
            "export": lambda: services.export_make(actor=request.user, project=the_project),
        }
        if action not in calls:
            raise Http404
        done = {
            "approve": _("The project is approved: citizens can consent."),
            "close": _("The project is closed."),
            "export": _("The export is made. Download its files before they expire."),
        }[action]
        message_call(request, calls[action], done)  # a refusal is said on the page
        return redirect("research:project", the_project.pk)
    return render(request, "research/project.html", {"project": the_project, "exports": the_project.exports.all()})


def _export_or_404(request, project_id, key) -> tuple[Project, Export]:
    the_project = project_for_or_404(request.user, project_id)
    export = Export.objects.filter(project=the_project, key=key).first()
    if export is None:
        raise Http404
    return the_project, export


@staff_required
def export_file(request, project_id, key, name):
    the_project, export = _export_or_404(request, project_id, key)
    try:
        stream = services.export_file_open(actor=request.user, export=export, name=name)
    except PermissionDenied:
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=f"{the_project.pk}-{export.created_at:%Y%m%d}-{name}")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def export_zip(request, project_id, key):
    the_project, export = _export_or_404(request, project_id, key)
    made = message_call(request, lambda: services.export_zip(actor=request.user, export=export))
    if not made:
        return redirect("research:project", the_project.pk)
    response = HttpResponse(made.result, content_type="application/zip")
    filename = f"{the_project.pk}-{export.created_at:%Y%m%d}-delivery.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def my_research(request):
    return render(request, "research/mine.html", {"projects": projects_asking(request.user)})


@citizen_required
@require_POST
def my_consent(request, project_id):
    the_project = project_asking_or_404(request.user, project_id)
    if request.POST.get("answer") == "yes":
        message_call(
            request,
            lambda: services.consent_give(actor=request.user, project=the_project),
            _("Thank you. Your consent is recorded; you can withdraw it here at any time."),
        )
    else:
        message_call(
            request,
            lambda: services.consent_withdraw(actor=request.user, project=the_project),
            _("Your consent is withdrawn: later deliveries to the project leave your data out."),
        )
    return redirect("research_mine")
