"""Demo reporting: last year's treatments for all 21 regions and their population,
so the national follow-up shows at once. The counts per region, kind, sex,
ownership and contacts are those of the national follow-up of 2017 (the seed
report, tables 1–5, in ``data/national_follow_up_2017.csv``), spread over the
demo year; the population is generated from approximate county totals and a
plain age profile (not Statistics Sweden's figures). The demo's IKBT program
is reported as IKBT, so completing it in Fyren adds a treatment of its own;
twelve former patients at Skärlanda went through it this year (program outcomes)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from fyren.care.models import Enrolment, ModuleProgress
from fyren.instruments.library import LIBRARY
from fyren.instruments.scoring import score
from fyren.people.models import Citizen
from fyren.programs.models import Module, ProgramVersion
from fyren.questionnaires.models import Response
from fyren.reporting.models import Population, Treatment

from .identities import personnummer

DATA = Path(__file__).parent / "data" / "national_follow_up_2017.csv"
SOURCE = "demo-journal"
KINDS = ("MMR1", "MMR2", "BEHAVIOURAL_MEDICINE", "ACTIVE_TRAINING", "OTHER_PAIN")
KINDS += ("KBT", "IKBT", "IPT", "PDT", "EMDR", "OTHER_PSYCH")
# Approximate inhabitants per county (thousands), for the generated population table.
INHABITANTS = {
    "01": 2308, "03": 368, "04": 294, "05": 459, "06": 358, "07": 197, "08": 243, "09": 59, "10": 159,
    "12": 1345, "13": 326, "14": 1710, "17": 280, "18": 300, "19": 271, "20": 285, "21": 285, "22": 245,
    "23": 129, "24": 268, "25": 251,
}  # fmt: skip


def _age_weight(age: int) -> float:
    if age < 20:
        return 1.1
    if age < 65:
        return 1.0
    if age < 80:
        return 0.85
    return max(0.05, 0.85 - (age - 79) * 0.04)


def load_reporting(people: dict | None = None) -> int:
    year = timezone.localdate().year - 1
    if Treatment.objects.filter(source=SOURCE).exists():
        return 0
    _population(year)
    _treatments(year)
    if people is not None:
        past_enrolments(people["units"][3])
    return 1


FIRST_NAMES = (
    "Alva",
    "Bengt",
    "Cecilia",
    "Dennis",
    "Ebba",
    "Filip",
    "Greta",
    "Hampus",
    "Ines",
    "Jonas",
    "Klara",
    "Leo",
)


def past_enrolments(
    unit,
    *,
    names=FIRST_NAMES,
    family: str = "Tidigare",
    serial: int = 700,
    born=lambda n: dt.date(1970 + n * 3, 1 + n % 12, 1 + n),
    sex=lambda n: "F" if n % 3 else "M",
    early_ones=(4, 9),
) -> list[Citizen]:
    """Former patients of ``unit`` who went through the worry program this year
    (by default twelve at Internetpsykiatri Skärlanda): most completed it, some
    ended early; GAD-7 and PHQ-9 at the start and the end (program outcomes for
    the analysts). Written directly, dated in the past; no care relation remains."""
    version = ProgramVersion.objects.filter(treatment_kind="IKBT", status="published").first()
    if version is None:
        return []
    modules = list(Module.objects.filter(version=version).order_by("position"))
    rng = random.Random(7)
    now = timezone.now()
    made = []
    for n, given in enumerate(names):
        number = personnummer(born(n), f"{serial + n:03d}")
        if Citizen.objects.filter(identity_number=number).exists():
            continue
        citizen = Citizen.objects.create(
            identity_number=number,
            identity_kind=Citizen.Kind.PERSONAL,
            birth_date=born(n),
            legal_sex=sex(n),
            given_name=given,
            family_name=family,
        )
        made.append(citizen)
        started = now - dt.timedelta(days=200 - n * 9)
        early = n in early_ones
        done = rng.randrange(2, 4) if early else len(modules)
        ended = started + dt.timedelta(days=7 * done + 10)
        enrolment = Enrolment.objects.create(
            citizen=citizen,
            program_version=version,
            unit=unit,
            status=Enrolment.Status.DISCONTINUED if early else Enrolment.Status.COMPLETED,
            started_at=started,
            ended_at=ended,
            end_reason="Patienten avbröt" if early else "",
        )
        ModuleProgress.objects.bulk_create(
            ModuleProgress(
                enrolment=enrolment,
                module_key=m.key,
                opened_at=started + dt.timedelta(days=7 * i),
                completed_at=started + dt.timedelta(days=7 * i + 5),
            )
            for i, m in enumerate(modules[:done])
        )
        for code, first, last in (("gad7", 13 + n % 6, 5 + n % 7), ("phq9", 12 + n % 5, 6 + n % 8)):
            if early:
                last = first - 1
            for at, total in ((started, first), (ended, last)):
                answers = answers_with_total(LIBRARY[code], total)
                result = score(LIBRARY[code], answers)
                Response.objects.create(
                    citizen=citizen,
                    enrolment=enrolment,
                    instrument_code=code,
                    instrument_version="1",
                    definition=LIBRARY[code],
                    status=Response.Status.COMPLETED,
                    answers=answers,
                    scores=result.scores,
                    bands={k: b.code for k, b in result.bands.items() if b},
                    created_at=at,
                    submitted_at=at,
                )
    return made


def answers_with_total(definition, total: int) -> dict[str, str]:
    """Answers to a sum-scored 0-3 instrument whose total is ``total``, spread
    over the items from the first; the last item (PHQ-9's safety question)
    stays 0 so the demo's past patients raise no alert."""
    links = [item["link_id"] for item in definition["items"]]
    answers = dict.fromkeys(links, 0)
    left = min(total, 3 * (len(links) - 1))
    while left > 0:
        for link in links[:-1]:
            if left and answers[link] < 3:
                answers[link] += 1
                left -= 1
    return {link: str(value) for link, value in answers.items()}


def _population(year: int) -> None:
    weights = [_age_weight(a) for a in range(101)]
    total_weight = sum(weights) * 2
    Population.objects.bulk_create(
        [
            Population(
                year=year,
                region_code=code,
                sex=sex,
                age=age,
                count=round(thousands * 1000 * weights[age] / total_weight),
            )
            for code, thousands in INHABITANTS.items()
            for sex in "FM"
            for age in range(101)
        ],
        batch_size=2000,
    )


INSERT = (
    "INSERT INTO reporting_treatment (source, record_id, region_code, unit_hsa_id, provider, kind, sex, age,"
    " started_on, completed_on, sessions, employer_contact_on, employment_service_contact_on, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def _treatments(year: int) -> None:
    """About 74,000 rows, written with one executemany (model instances would take
    seconds, on every demo load)."""
    rng = random.Random(year)
    first = dt.date(year, 1, 1)
    now = timezone.now()
    rows = []
    with DATA.open(encoding="utf-8") as f:
        for region in csv.DictReader(f):
            code = region["region_code"]
            counts = {k: int(region[k]) for k in KINDS}
            total = sum(counts.values()) or 1
            women = int(region["women"]) / max(1, int(region["women"]) + int(region["men"]))
            private = int(region["private"]) / max(1, int(region["private"]) + int(region["public"]))
            employer = int(region["employer_contacts"]) / total
            employment = int(region["employment_service_contacts"]) / total
            n = 0
            for kind, count in counts.items():
                for _i in range(count):
                    n += 1
                    completed = first + dt.timedelta(days=rng.randrange(365))
                    rows.append(
                        (
                            SOURCE,
                            f"{code}-{year}-{n}",
                            code,
                            "",
                            "private" if rng.random() < private else "public",
                            kind,
                            "F" if rng.random() < women else "M",
                            rng.randrange(18, 67),
                            completed - dt.timedelta(days=rng.randrange(30, 150)),
                            completed,
                            rng.randrange(4, 16),
                            completed - dt.timedelta(days=10) if rng.random() < employer else None,
                            completed - dt.timedelta(days=5) if rng.random() < employment else None,
                            now,
                        )
                    )
    assert Treatment._meta.db_table == "reporting_treatment"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(INSERT, rows)
