"""Demo reporting: last year's treatments for all 21 regions and their population,
so the national follow-up shows at once. The counts per region, kind, sex,
ownership and contacts are those of the national follow-up of 2017 (the seed
report, tables 1–5, in ``data/national_follow_up_2017.csv``), spread over the
demo year; the population is generated from approximate county totals and a
plain age profile (not Statistics Sweden's figures). The demo's IKBT program
is reported as IKBT, so completing it in Fyren adds a treatment of its own."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from fyren.reporting.models import Population, Treatment

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


def load_reporting() -> int:
    year = timezone.localdate().year - 1
    if Treatment.objects.filter(source=SOURCE).exists():
        return 0
    _population(year)
    _treatments(year)
    return 1


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
