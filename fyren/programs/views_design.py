"""The design tool: designers build programs in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.roles import Role
from fyren.instruments.models import Instrument
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none
from fyren.lib.uploads import refused_uploads, upload_too_large_message

from . import elements
from . import services as svc
from .checks import language_coverage, self_enrolment_warnings, version_problems
from .diff import diff_documents
from .forms import (
    INSTRUMENTS,
    AddElementForm,
    ConditionForm,
    ElementForm,
    ImportForm,
    NodeTitleForm,
    ProgramCreateForm,
    VersionForm,
)
from .media import asset_response, assets_by_sha
from .models import Element, ImmutableVersionError, MediaAsset, Module, ProgramVersion, Section, Step
from .package import export_package, import_package
from .permissions import (
    program_for_designer_or_404,
    programs_designable_by,
    regions_with_role,
    version_for_designer_or_404,
    versions_reviewable_by,
)
from .selectors import self_enrolment_unit_names
from .tree import answer_refs_before, document, load_tree

LEVELS = {"module": Module, "section": Section, "step": Step, "element": Element}


def _autosave(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _saved(request, message, fallback, extra=None):
    if _autosave(request):
        return JsonResponse({"ok": True, "message": _("Saved."), "set": extra or {}})
    messages.success(request, message)
    return fallback


def _refused(request, form, errors, template, context, status=400):
    if _autosave(request):
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    for error in errors:
        form.add_error(None, error)
    return render(request, template, context, status=status)


@staff_required
def home(request):
    regions = regions_with_role(request.user, Role.DESIGNER)
    if not regions.exists():
        raise Http404
    programs = programs_designable_by(request.user).select_related("owner").prefetch_related("versions")
    rows = []
    for program in programs.order_by("-created_at"):
        versions = sorted(program.versions.all(), key=lambda v: -v.number)
        rows.append({"program": program, "latest": versions[0] if versions else None})
    return render(request, "programs/design/home.html", {"rows": rows})


@staff_required
def program_new(request):
    regions = regions_with_role(request.user, Role.DESIGNER)
    if not regions.exists():
        raise Http404
    form = ProgramCreateForm(request.POST or None, regions=regions)
    created = request.method == "POST" and form_call(
        form,
        lambda data: svc.program_create(
            actor=request.user,
            region=data["region"],
            title=data["title"],
            kind=data["kind"],
            languages=data["languages"],
            template=data["template"] or None,
        ),
    )
    if created:
        messages.success(request, _("The program is created. Fill in the description and the content."))
        return redirect("programs:version_edit", version_id=created.result.pk)
    return render(request, "programs/design/program_new.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def program_import(request):
    regions = regions_with_role(request.user, Role.DESIGNER)
    if not regions.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, regions=regions)
    imported = request.method == "POST" and form_call(
        form,
        lambda data: import_package(actor=request.user, region=data["region"], data=data["package"].read()),
        field="package",
    )
    if imported:
        messages.success(request, _("The package is imported as a draft."))
        return redirect("programs:version_edit", version_id=imported.result.pk)
    return render(request, "programs/design/import.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def program_detail(request, program_id):
    program = program_for_designer_or_404(request.user, program_id)
    versions = list(program.versions.order_by("-number"))
    open_version = next((v for v in versions if v.status in ("draft", "in_review")), None)
    return render(
        request,
        "programs/design/program_detail.html",
        {"program": program, "versions": versions, "open_version": open_version},
    )


@staff_required
@require_POST
def program_new_version(request, program_id):
    program = program_for_designer_or_404(request.user, program_id)
    draft = message_call(
        request,
        lambda: svc.version_new_draft(actor=request.user, program=program),
        _("A new draft is made. The published version stays as it is."),
    )
    if not draft:
        return redirect("programs:program_detail", program_id=program.pk)
    return redirect("programs:version_edit", version_id=draft.result.pk)


def _edit_context(version, tree, form=None):
    for level, node in _nodes(tree):
        node.title_form = NodeTitleForm(
            node=node, languages=version.languages, with_intro=level == "module", prefix=f"{level}{node.pk}"
        )
    return {
        "version": version,
        "tree": tree,
        "form": form,
        "problems": version_problems(tree) if version.is_draft else [],
        "coverage": language_coverage(tree) if version.is_draft else [],
        "warnings": self_enrolment_warnings(tree, open_at=self_enrolment_unit_names(version.program)),
    }


def _nodes(tree):
    for module in tree.modules:
        yield "module", module
        for section in module.section_list:
            yield "section", section


@staff_required
def version_edit(request, version_id):
    """The program's description and settings, and its structure."""
    version = version_for_designer_or_404(request.user, version_id)
    form = VersionForm(request.POST or None, version=version)
    if request.method == "POST":
        if not form.is_valid():
            return _refused(
                request,
                form,
                [f"{f}: {' '.join(e)}" for f, e in form.errors.items()],
                "programs/design/version_edit.html",
                _edit_context(version, load_tree(version), form),
            )
        try:
            svc.version_update(actor=request.user, version=version, **form.changes())
        except (ValidationError, ImmutableVersionError) as exc:
            errors = _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
            return _refused(
                request,
                form,
                errors,
                "programs/design/version_edit.html",
                _edit_context(version, load_tree(version), form),
            )
        return _saved(request, _("Saved."), redirect("programs:version_edit", version_id=version.pk))
    return render(request, "programs/design/version_edit.html", _edit_context(version, load_tree(version), form))


@staff_required
@require_POST
def node_add(request, version_id, level):
    version = version_for_designer_or_404(request.user, version_id)
    model = LEVELS.get(level)
    if model is None or model is Element:
        raise Http404
    parent = None
    if model is not Module:
        parent_model = {Section: Module, Step: Section}[model]
        parent = get_object_or_404(parent_model, pk=id_or_none(request.POST.get("parent")), version=version)
    values = {"title": {lang: _("New page") if model is Step else "" for lang in version.languages[:1]}}
    if model is Module:
        values["title"] = {version.languages[0]: _("New module")}
    elif model is Section:
        values["title"] = {version.languages[0]: _("New section")}
    try:
        node = svc.node_add(actor=request.user, version=version, model=model, parent=parent, **values)
    except (ValidationError, ImmutableVersionError, PermissionDenied):
        raise Http404 from None
    if model is Step:
        return redirect("programs:step_edit", version_id=version.pk, step_id=node.pk)
    return redirect(f"{request.build_absolute_uri(version_edit_url(version))}#{level}-{node.pk}")


def version_edit_url(version):
    return reverse("programs:version_edit", kwargs={"version_id": version.pk})


def step_url(version, step_id, element=None) -> str:
    url = reverse("programs:step_edit", kwargs={"version_id": version.pk, "step_id": step_id})
    return f"{url}#element-{element.pk}" if element is not None else url


def _node_or_404(version, level, node_id):
    model = LEVELS.get(level)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=node_id, version=version)


@staff_required
@require_POST
def node_title(request, version_id, level, node_id):
    version = version_for_designer_or_404(request.user, version_id)
    node = _node_or_404(version, level, node_id)
    form = NodeTitleForm(
        request.POST, node=node, languages=version.languages, with_intro=level == "module", prefix=f"{level}{node.pk}"
    )
    if form.is_valid():
        try:
            svc.node_update(actor=request.user, node=node, **form.changes())
        except (ValidationError, ImmutableVersionError) as exc:
            if _autosave(request):
                return JsonResponse({"ok": False, "errors": [str(exc)]}, status=400)
            messages.error(request, str(exc))
    target = redirect(f"{version_edit_url(version)}#{level}-{node.pk}")
    if level == "step":
        target = redirect("programs:step_edit", version_id=version.pk, step_id=node.pk)
    return _saved(request, _("Saved."), target)


@staff_required
@require_POST
def node_move(request, version_id, level, node_id, direction):
    version = version_for_designer_or_404(request.user, version_id)
    node = _node_or_404(version, level, node_id)
    if direction not in ("up", "down"):
        raise Http404
    try:
        svc.node_move(actor=request.user, node=node, offset=-1 if direction == "up" else 1)
    except ImmutableVersionError as exc:
        messages.error(request, str(exc))
    if level == "element":
        return redirect(step_url(version, node.step_id, node))
    return redirect(f"{version_edit_url(version)}#{level}-{node.pk}")


@staff_required
def node_delete(request, version_id, level, node_id):
    version = version_for_designer_or_404(request.user, version_id)
    node = _node_or_404(version, level, node_id)
    if request.method == "POST":
        back = step_url(version, node.step_id) if level == "element" else version_edit_url(version)
        try:
            svc.node_delete(actor=request.user, node=node)
        except ImmutableVersionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Deleted."))
        return redirect(back)
    return render(request, "programs/design/confirm_delete.html", {"version": version, "node": node, "level": level})


def _element_forms(version, tree, step, data=None, files=None, only=None):
    own = Instrument.objects.filter(owner_id=version.program.owner_id).order_by("code")
    instrument_choices = [*INSTRUMENTS, *((i.code, i.code.upper()) for i in own)]
    items = []
    for element in step.element_list:
        bound = only is not None and element.pk == only
        form = ElementForm(
            data if bound else None,
            files if bound else None,
            element=element,
            languages=version.languages,
            prefix=f"e{element.pk}",
            instrument_choices=instrument_choices,
        )
        condition = ConditionForm(
            data if bound else None,
            refs=answer_refs_before(tree, element),
            condition=element.condition,
            prefix=f"c{element.pk}",
        )
        spoken = elements.spoken_files(element.kind, element.content)
        recordings = assets_by_sha(spoken.values())
        items.append(
            {
                "element": element,
                "spoken": [(lang, recordings[sha]) for lang, sha in spoken.items() if sha in recordings],
                "form": form,
                "formset": form.list_formset(data if bound else None),
                "condition": condition,
                "problems": elements.problems(
                    element.kind,
                    element.content,
                    languages=version.languages,
                    has_asset=element.asset_id is not None,
                    for_publishing=True,
                ),
            }
        )
    return items


def _find_step(tree, step_id):
    step = next((s for s in tree.steps() if s.pk == step_id), None)
    if step is None:
        raise Http404
    return step


def _step_context(version, tree, step, data=None, files=None, only=None):
    return {
        "version": version,
        "step": step,
        "title_form": NodeTitleForm(
            data if only == "step" else None, node=step, languages=version.languages, prefix=f"step{step.pk}"
        ),
        "condition_form": ConditionForm(
            data if only == "step" else None,
            refs=answer_refs_before(tree, step),
            condition=step.condition,
            prefix="stepcond",
        ),
        "items": _element_forms(version, tree, step, data, files, only if only != "step" else None),
        "add_form": AddElementForm(),
    }


@staff_required
def step_edit(request, version_id, step_id):
    """One page: its title, when it is shown, and its elements."""
    version = version_for_designer_or_404(request.user, version_id)
    tree = load_tree(version)
    step = _find_step(tree, int(step_id))
    if request.method == "POST":
        context = _step_context(version, tree, step, request.POST, only="step")
        title_form, condition_form = context["title_form"], context["condition_form"]
        if title_form.is_valid() and condition_form.is_valid():
            try:
                svc.node_update(
                    actor=request.user,
                    node=step,
                    **title_form.changes(),
                    condition=condition_form.condition(step.condition),
                )
            except (ValidationError, ImmutableVersionError) as exc:
                errors = _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
                return _refused(request, title_form, errors, "programs/design/step_edit.html", context)
            return _saved(request, _("Saved."), redirect("programs:step_edit", version_id=version.pk, step_id=step.pk))
        return _refused(request, title_form, [_("Check the fields.")], "programs/design/step_edit.html", context)
    return render(request, "programs/design/step_edit.html", _step_context(version, tree, step))


@staff_required
@require_POST
def element_add(request, version_id, step_id):
    version = version_for_designer_or_404(request.user, version_id)
    step = get_object_or_404(Step, pk=step_id, version=version)
    form = AddElementForm(request.POST)
    if form.is_valid():
        try:
            element = svc.node_add(
                actor=request.user, version=version, model=Element, parent=step, kind=form.cleaned_data["kind"]
            )
        except (ValidationError, ImmutableVersionError) as exc:
            messages.error(request, str(exc))
        else:
            return redirect(step_url(version, step.pk, element))
    return redirect("programs:step_edit", version_id=version.pk, step_id=step.pk)


@staff_required
@require_POST
def element_save(request, version_id, element_id):
    version = version_for_designer_or_404(request.user, version_id)
    tree = load_tree(version)
    element = next((e for e in tree.elements() if e.pk == int(element_id)), None)
    if element is None:
        raise Http404
    context = _step_context(version, tree, element.step, request.POST, request.FILES, only=element.pk)
    item = next(i for i in context["items"] if i["element"].pk == element.pk)
    form, formset, condition_form = item["form"], item["formset"], item["condition"]
    valid = form.is_valid() and condition_form.is_valid() and (formset is None or formset.is_valid())
    too_large = refused_uploads(request)
    if not valid or too_large:
        errors = [upload_too_large_message(name) for name in too_large]
        errors += [f"{name}: {' '.join(e)}" for name, e in form.errors.items()]
        return _refused(request, form, errors or [_("Check the fields.")], "programs/design/step_edit.html", context)
    try:
        upload = form.cleaned_data.get("upload")
        if upload:
            svc.element_attach_file(actor=request.user, element=element, data=upload, name=upload.name)
        svc.node_update(
            actor=request.user,
            node=element,
            content=form.content(formset),
            condition=condition_form.condition(element.condition),
        )
        for lang in version.languages:
            recording = form.cleaned_data.get(f"spoken_{lang}")
            if recording:
                svc.element_spoken_set(
                    actor=request.user, element=element, language=lang, data=recording, name=recording.name
                )
            elif form.cleaned_data.get(f"spoken_remove_{lang}"):
                svc.element_spoken_set(actor=request.user, element=element, language=lang, data=None)
    except (ValidationError, ImmutableVersionError) as exc:
        errors = _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
        return _refused(request, form, errors, "programs/design/step_edit.html", context)
    target = redirect(step_url(version, element.step.pk, element))
    return _saved(request, _("Saved."), target, extra=getattr(form, "new_keys", {}))


@staff_required
@require_POST
def version_submit(request, version_id):
    version = version_for_designer_or_404(request.user, version_id)
    try:
        submitted = message_call(
            request,
            lambda: svc.version_submit(actor=request.user, version=version),
            _("Submitted for review. A publisher will look at it."),
            refused=_("The version cannot be submitted yet: see the list of what is missing."),
        )
    except ImmutableVersionError as exc:
        messages.error(request, str(exc))
        submitted = None
    if not submitted:
        return redirect("programs:version_edit", version_id=version.pk)
    return redirect("programs:program_detail", program_id=version.program_id)


@staff_required
def version_package(request, version_id):
    version = version_for_designer_or_404(request.user, version_id)
    response = HttpResponse(export_package(version), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="fyren-program-{version.program_id}-v{version.number}.zip"'
    return response


def program_diff_context(program, versions, request):
    by_number = {v.number: v for v in versions}
    try:
        old = by_number[int(request.GET.get("from", 0))]
        new = by_number[int(request.GET.get("to", 0))]
    except (KeyError, ValueError):
        if len(versions) < 2:
            return {"program": program, "versions": versions}
        new, old = versions[0], versions[1]
    program_changes, node_changes = diff_documents(document(load_tree(old)), document(load_tree(new)))
    return {
        "program": program,
        "versions": versions,
        "old": old,
        "new": new,
        "program_changes": program_changes,
        "node_changes": node_changes,
    }


@staff_required
def program_diff(request, program_id):
    program = program_for_designer_or_404(request.user, program_id)
    versions = list(program.versions.order_by("-number"))
    return render(request, "programs/design/diff.html", program_diff_context(program, versions, request))


@staff_required
def media(request, asset_id):
    """A program's file, for designers, publishers and (later) enrolled citizens."""
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    visible = (
        programs_designable_by(request.user).filter(owner=asset.owner_id).exists()
        or versions_reviewable_by(request.user).filter(program__owner=asset.owner_id).exists()
        or Element.objects.filter(asset=asset, version__status=ProgramVersion.Status.PUBLISHED).exists()
    )
    if not visible:
        raise Http404
    return asset_response(asset)
