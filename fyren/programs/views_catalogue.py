"""Review and publishing (publishers), and the shared catalogue."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import staff_required
from fyren.accounts.roles import Role
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none
from fyren.organisations.models import CareUnit, Region

from . import services as svc
from .checks import CHECKLIST, self_enrolment_warnings, version_problems
from .diff import diff_documents
from .models import Adoption, Kind, Program, ProgramVersion, UnitProgram
from .permissions import provider_regions, regions_with_role, version_for_publisher_or_404, versions_reviewable_by
from .selectors import self_enrolment_unit_names
from .tree import document, load_tree

Status = ProgramVersion.Status


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment to the designer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", gettext_lazy("Approve and publish")), ("return", gettext_lazy("Return to the designer"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in CHECKLIST.items():
            self.fields[f"check_{item}"] = forms.BooleanField(label=label, required=False)

    def checklist(self):
        return {item: self.cleaned_data.get(f"check_{item}", False) for item in CHECKLIST}


@staff_required
def review_queue(request):
    if not regions_with_role(request.user, Role.PUBLISHER).exists():
        raise Http404
    versions = versions_reviewable_by(request.user).select_related("program", "program__owner", "submitted_by")
    return render(
        request,
        "programs/review/queue.html",
        {
            "waiting": versions.filter(status=Status.IN_REVIEW).order_by("submitted_at"),
            "published": versions.filter(status=Status.PUBLISHED).order_by("-published_at"),
        },
    )


@staff_required
def review_version(request, version_id):
    version = version_for_publisher_or_404(request.user, version_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form_call(
        form,
        lambda data: svc.version_review(
            actor=request.user,
            version=version,
            checklist=form.checklist(),
            comment=data["comment"],
            approve=data["decision"] == "approve",
        ),
    ):
        messages.success(
            request, _("Published.") if form.cleaned_data["decision"] == "approve" else _("Returned to the designer.")
        )
        return redirect("programs:review_queue")
    tree = load_tree(version)
    previous = (
        version.program.versions.filter(status__in=[Status.PUBLISHED, Status.RETIRED], number__lt=version.number)
        .order_by("-number")
        .first()
    )
    changes = diff_documents(document(load_tree(previous)), document(tree)) if previous else None
    return render(
        request,
        "programs/review/version.html",
        {
            "version": version,
            "form": form,
            "problems": version_problems(tree),
            "warnings": self_enrolment_warnings(tree, open_at=self_enrolment_unit_names(version.program)),
            "previous": previous,
            "changes": changes,
            "reviews": version.reviews.select_related("reviewer"),
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def retire(request, version_id):
    version = version_for_publisher_or_404(request.user, version_id)
    message_call(
        request,
        lambda: svc.version_retire(actor=request.user, version=version),
        _("The version is retired. Patients who started it can finish it."),
    )
    return redirect("programs:review_queue")


class CatalogueFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Indication or words"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("All kinds")), *Kind.choices]
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("All languages")), ("sv", "Svenska"), ("en", "English")],
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        required=False,
        queryset=Region.objects.all(),
        empty_label=gettext_lazy("All regions"),
    )


def _published_versions():
    return ProgramVersion.objects.filter(status=Status.PUBLISHED).select_related("program", "program__owner")


@staff_required
def catalogue(request):
    """Published programs of every region, for all staff."""
    form = CatalogueFilter(request.GET or None)
    versions = _published_versions().order_by("program__owner__name", "program_id")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            versions = versions.filter(kind=data["kind"])
        if data["owner"]:
            versions = versions.filter(program__owner=data["owner"])
        if data["language"]:
            versions = (
                versions.filter(languages__contains=data["language"])
                if _json_contains()
                else [v for v in versions if data["language"] in v.languages]
            )
        if data["q"]:
            words = data["q"].strip()
            versions = [
                v
                for v in versions
                if any(
                    words.casefold() in str(value).casefold()
                    for value in [
                        *v.title.values(),
                        *v.indications.values(),
                        *v.summary.values(),
                        *v.target_group.values(),
                    ]
                )
            ]
    return render(request, "programs/catalogue/list.html", {"form": form, "versions": list(versions)})


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


class OfferForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Care unit"), queryset=CareUnit.objects.none(), empty_label=None)
    active = forms.BooleanField(label=gettext_lazy("Offer the program at the unit"), required=False)
    self_enrolment = forms.BooleanField(label=gettext_lazy("Open for self-enrolment"), required=False)
    group_sv = forms.CharField(label=gettext_lazy("Who may self-enrol (Swedish)"), required=False, max_length=200)
    group_en = forms.CharField(label=gettext_lazy("Who may self-enrol (English)"), required=False, max_length=200)


@staff_required
def catalogue_program(request, program_id):
    version = _published_versions().filter(program_id=program_id).first()
    if version is None:
        raise Http404
    program = version.program
    admin_regions = provider_regions(request.user)
    own_region_ids = set(admin_regions.values_list("pk", flat=True))
    adopted = set(
        Adoption.objects.filter(program=program, region__in=admin_regions).values_list("region_id", flat=True)
    )
    usable_regions = [r for r in admin_regions if r.pk == program.owner_id or r.pk in adopted]
    offer_form = None
    if usable_regions:
        offer_form = OfferForm(initial={"active": True})
        offer_form.fields["unit"].queryset = CareUnit.objects.active_on().filter(region__in=usable_regions)
    offers = UnitProgram.objects.filter(program=program, unit__region_id__in=own_region_ids).select_related("unit")
    copy_regions = (admin_regions | regions_with_role(request.user, Role.DESIGNER)).exclude(pk=program.owner_id)
    return render(
        request,
        "programs/catalogue/program.html",
        {
            "version": version,
            "program": program,
            "tree": load_tree(version),
            "offer_form": offer_form,
            "offers": offers,
            "adopt_regions": [r for r in admin_regions if r.pk != program.owner_id and r.pk not in adopted],
            "copy_regions": copy_regions.distinct(),
        },
    )


def _region_from_post(request, queryset):
    region = queryset.filter(pk=id_or_none(request.POST.get("region"))).first()
    if region is None:
        raise Http404
    return region


@staff_required
@require_POST
def adopt(request, program_id):
    program = get_object_or_404(Program, pk=program_id)
    region = _region_from_post(request, provider_regions(request.user))
    message_call(
        request,
        lambda: svc.program_adopt(actor=request.user, program=program, region=region),
        _("%(region)s now uses the program as it is.") % {"region": region.name},
    )
    return redirect("programs:catalogue_program", program_id=program.pk)


@staff_required
@require_POST
def copy(request, program_id):
    program = get_object_or_404(Program, pk=program_id)
    regions = provider_regions(request.user) | regions_with_role(request.user, Role.DESIGNER)
    region = _region_from_post(request, regions.distinct())
    copied = message_call(
        request,
        lambda: svc.program_copy(actor=request.user, program=program, region=region),
        _("A copy is made as a draft of %(region)s.") % {"region": region.name},
    )
    if not copied:
        return redirect("programs:catalogue_program", program_id=program.pk)
    if regions_with_role(request.user, Role.DESIGNER).filter(pk=region.pk).exists():
        return redirect("programs:version_edit", version_id=copied.result.pk)
    return redirect("programs:catalogue")


@staff_required
@require_POST
def offer(request, program_id):
    program = get_object_or_404(Program, pk=program_id)
    form = OfferForm(request.POST)
    form.fields["unit"].queryset = CareUnit.objects.active_on().filter(Q(region__in=provider_regions(request.user)))
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    saved = message_call(
        request,
        lambda: svc.unit_program_set(
            actor=request.user,
            program=program,
            unit=data["unit"],
            active=data["active"],
            self_enrolment=data["self_enrolment"],
            self_enrolment_group={k: v for k, v in (("sv", data["group_sv"]), ("en", data["group_en"])) if v},
        ),
        _("Saved for %(unit)s.") % {"unit": data["unit"].name},
    )
    if saved:
        current = program.versions.filter(status=Status.PUBLISHED).first()
        if data["self_enrolment"] and data["active"] and current is not None:
            for warning in self_enrolment_warnings(load_tree(current), open_at=[data["unit"].name]):
                messages.warning(request, warning)
    return redirect("programs:catalogue_program", program_id=program.pk)
