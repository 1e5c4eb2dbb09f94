"""Demo research: Lena Berg, Region Skärlanda's data administrator, has approved a
follow-up study of the worry program. Twenty former patients of Internetpsykiatri
Skärlanda took part and their consent is recorded (given on paper at the unit in
the story, so written directly here: they have no Fyren login in the demo). No
export is made: Lena makes one on the project page and sees which combinations
k-anonymity left out."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from fyren.people.models import Citizen
from fyren.programs.models import ProgramVersion
from fyren.research import services
from fyren.research.models import Consent, Project

from .reporting import past_enrolments

TITLE = "Internetbaserad KBT vid oro: ett år efter behandlingen"
NAMES = ("Amira", "Beatrice", "Celine", "Dalia", "Elin", "Fanny", "Hanna", "Ida")


def load_research(people: dict) -> None:
    skarlanda = people["units"][3]
    if Project.objects.filter(title=TITLE).exists():
        return
    # Eight more women in their early thirties, so one group passes k = 5.
    past_enrolments(
        skarlanda,
        names=NAMES,
        family="Deltagare",
        serial=760,
        born=lambda n: dt.date(1992 + n % 3, 2 + n, 10),
        sex=lambda n: "F",
        early_ones=(3,),
    )
    version = ProgramVersion.objects.filter(treatment_kind="IKBT", status="published").first()
    if version is None:
        return
    lena = get_user_model().objects.get(username="lena.berg")
    today = timezone.localdate()
    project = services.project_register(
        actor=lena,
        region=skarlanda.region,
        title=TITLE,
        ethics_number="2026-04711-01",
        ethics_date=today - dt.timedelta(days=60),
        principal_investigator="Maria Lindqvist",
        organisation="Uppsala universitet",
        programs=[version.program],
        instruments=["gad7", "phq9"],
        period_start=today - dt.timedelta(days=365),
        period_end=today,
        k=5,
    )
    services.project_approve(actor=lena, project=project)
    for citizen in Citizen.objects.filter(family_name__in=("Tidigare", "Deltagare")):
        Consent.objects.get_or_create(project=project, citizen=citizen)
