"""Reads for research: projects for the region's data administrators (no patient
data: counts of consent only), and the projects a citizen may consent to."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from fyren.accounts.permissions import regions_where
from fyren.accounts.roles import Role
from fyren.care.models import Enrolment
from fyren.people.selectors import citizen_of_user
from fyren.programs.models import Program

from .models import Consent, Project


def projects_for(actor):
    """Projects of the regions where the actor is data or care-provider administrator."""
    regions = regions_where(actor, Role.DATA_ADMIN, Role.CARE_PROVIDER_ADMIN)
    return (
        Project.objects.filter(region__in=regions)
        .select_related("region", "approved_by")
        .annotate(
            consenting=Count("consents", filter=Q(consents__withdrawn_at__isnull=True)),
            withdrawn=Count("consents", filter=Q(consents__withdrawn_at__isnull=False)),
        )
    )


def project_for_or_404(actor, project_id) -> Project:
    project = projects_for(actor).filter(pk=project_id).prefetch_related("programs", "exports").first()
    if project is None:
        raise Http404
    project.is_data_admin = regions_where(actor, Role.DATA_ADMIN).filter(pk=project.region_id).exists()
    return project


def projects_asking(user) -> list[tuple[Project, Consent | None]]:
    """Approved projects covering one of the citizen's enrolments, with their answer so far."""
    citizen = citizen_of_user(user)
    if citizen is None:
        return []
    out = []
    consents = {c.project_id: c for c in Consent.objects.filter(citizen=citizen)}
    for project in Project.objects.filter(status=Project.Status.APPROVED).select_related("region").order_by("title"):
        if project.pk in consents or eligible_enrolments(project).filter(citizen=citizen).exists():
            out.append((project, consents.get(project.pk)))
    return out


def project_asking_or_404(user, project_id) -> Project:
    for project, _consent in projects_asking(user):
        if str(project.pk) == str(project_id):
            return project
    raise Http404


def regions_for_registering(actor):
    return regions_where(actor, Role.DATA_ADMIN, Role.CARE_PROVIDER_ADMIN)


def programs_of_region(region):
    """Programs the region owns, runs at one of its units, or has run (enrolments there)."""
    return Program.objects.filter(
        Q(owner=region) | Q(unit_activations__unit__region=region) | Q(versions__enrolments__unit__region=region)
    ).distinct()


def eligible_enrolments(project: Project):
    """The enrolments a project covers: its programs, at its region's units, started in its period."""
    return Enrolment.objects.filter(
        program_version__program__in=project.programs.all(),
        unit__region=project.region,
        started_at__date__gte=project.period_start,
        started_at__date__lte=project.period_end,
    )
