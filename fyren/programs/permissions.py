"""Who may design, review and share which programs. Anything else is a 404."""

from django.http import Http404

from fyren.accounts.permissions import regions_where, regions_with_role
from fyren.accounts.roles import Role

from .models import Program, ProgramVersion


def programs_designable_by(user):
    return Program.objects.filter(owner__in=regions_with_role(user, Role.DESIGNER))


def program_for_designer_or_404(user, program_id) -> Program:
    program = programs_designable_by(user).filter(pk=program_id).select_related("owner").first()
    if program is None:
        raise Http404
    return program


def version_for_designer_or_404(user, version_id) -> ProgramVersion:
    version = (
        ProgramVersion.objects.filter(pk=version_id, program__in=programs_designable_by(user))
        .select_related("program", "program__owner")
        .first()
    )
    if version is None:
        raise Http404
    return version


def versions_reviewable_by(user):
    return ProgramVersion.objects.filter(program__owner__in=regions_with_role(user, Role.PUBLISHER))


def version_for_publisher_or_404(user, version_id) -> ProgramVersion:
    version = versions_reviewable_by(user).filter(pk=version_id).select_related("program", "program__owner").first()
    if version is None:
        raise Http404
    return version


def provider_regions(user):
    """Regions where ``user`` is care-provider admin."""
    return regions_where(user, Role.CARE_PROVIDER_ADMIN)


def can_design(user, program: Program) -> bool:
    return programs_designable_by(user).filter(pk=program.pk).exists()
