"""Previews of a version as the citizen and as the clinician will see it."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.roles import Role

from . import conditions
from .models import ProgramVersion
from .permissions import regions_with_role
from .tree import answer_refs_before, load_tree


def version_for_viewer_or_404(user, version_id) -> ProgramVersion:
    regions = regions_with_role(user, Role.DESIGNER) | regions_with_role(user, Role.PUBLISHER)
    version = (
        ProgramVersion.objects.filter(Q(pk=version_id), Q(program__owner__in=regions) | Q(status="published"))
        .select_related("program", "program__owner")
        .first()
    )
    if version is None:
        raise Http404
    return version


def _back(user, version) -> tuple[str, str]:
    """Where the preview leads back to: the design tool for the owner's designers
    and publishers, the catalogue for everyone else (who may not open the tool)."""
    if version.program.owner in regions_with_role(user, Role.DESIGNER) | regions_with_role(user, Role.PUBLISHER):
        return reverse("programs:version_edit", args=[version.pk]), _("Back to the design tool")
    return reverse("programs:catalogue"), _("Back to the program catalogue")


def _lang(request, version):
    wanted = request.GET.get("lang") or get_language()
    return wanted if wanted in version.languages else version.languages[0]


@staff_required
def preview_citizen(request, version_id):
    """Step by step, as the citizen sees it. Sample answers (``a.<ref>``) let the
    designer see presentation logic at work."""
    version = version_for_viewer_or_404(request.user, version_id)
    tree = load_tree(version)
    lang = _lang(request, version)
    steps = list(tree.steps())
    all_refs = answer_refs_before(tree, None)
    answers = {ref: request.GET.get(f"a.{ref}") for ref, _label in all_refs if request.GET.get(f"a.{ref}")}
    current = next((s for s in steps if str(s.key) == request.GET.get("step")), steps[0] if steps else None)
    shown, hidden = [], 0
    step_visible = True
    if current is not None:
        step_visible = conditions.evaluate(current.condition, answers)
        for element in current.element_list:
            if conditions.evaluate(element.condition, answers):
                shown.append(element)
            else:
                hidden += 1
    index = steps.index(current) if current in steps else -1
    return render(
        request,
        "programs/preview/citizen.html",
        {
            "version": version,
            "tree": tree,
            "lang": lang,
            "current": current,
            "shown": shown,
            "hidden": hidden,
            "step_visible": step_visible,
            "previous": steps[index - 1] if index > 0 else None,
            "next": steps[index + 1] if 0 <= index < len(steps) - 1 else None,
            "refs": all_refs,
            "answers": answers,
            "back": _back(request.user, version),
        },
    )


@staff_required
def preview_clinician(request, version_id):
    """Everything at once, with the logic spelled out, as the clinician follows it."""
    version = version_for_viewer_or_404(request.user, version_id)
    context = {"version": version, "tree": load_tree(version), "lang": _lang(request, version)}
    return render(request, "programs/preview/clinician.html", context | {"back": _back(request.user, version)})
