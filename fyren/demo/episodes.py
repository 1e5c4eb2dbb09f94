"""Demo care episodes: Region Fyrland's depression and anxiety pathway with its
targets and (demo) codes; Karin's SVF episode from a care request by
Fyrbacken to Hamnen with points A–E, B→C over its target; and a request for
Gunnar waiting at Hamnen, due within a day. Rows are made directly (#11)."""

import datetime as dt
import uuid

from django.utils import timezone

from fyren.accounts.models import User
from fyren.care.models import CareRelation
from fyren.episodes.models import CareRequest, Episode, EpisodePause, EpisodePoint, Pathway, PathwayCode, PathwayTarget

# Made-up codes in the shape of KVÅ codes: a region enters its real ones per year.
DEMO_CODES = {"A": "XU100", "B": "XU110", "C": "XU120", "D": "XU130", "E": "XU140", "F": "XU150", "G": "XU160"}


def load_episodes(people: dict) -> int:
    region, units, citizens = people["regions"][0], people["units"], people["citizens"]
    hamnen, fyrbacken = units[0], units[1]
    pathway, created = Pathway.objects.get_or_create(
        region=region, name="SVF Depression och ångest", defaults={"area": Pathway.Area.DEPRESSION}
    )
    if not created:
        return 0
    for a, b, days in (("B", "C", 3), ("B", "E", 30), ("C", "D", 14)):
        PathwayTarget.objects.create(pathway=pathway, from_point=a, to_point=b, days=days)
    year = timezone.localdate().year
    for y in (year - 1, year):
        PathwayCode.objects.bulk_create(
            PathwayCode(pathway=pathway, year=y, point=p, code=c) for p, c in DEMO_CODES.items()
        )
    eva, anna = User.objects.get(username="eva.falk"), User.objects.get(username="anna.lind")
    now = timezone.now()

    def ago(days, hour=10):
        return (now - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)

    karin = citizens["karin"]
    for unit in (fyrbacken, hamnen):
        CareRelation.objects.get_or_create(citizen=karin, unit=unit, ended_at=None, defaults={"reason": "Demo"})
    episode = Episode.objects.create(citizen=karin, unit=hamnen, pathway=pathway, opened_at=ago(39), opened_by=anna)
    request = CareRequest.objects.create(
        citizen=karin,
        from_unit=fyrbacken,
        to_unit=hamnen,
        pathway=pathway,
        reason="Medelsvår depression med ångest sedan i vintras; PHQ-9 17. Önskar bedömning för internet-KBT.",
        status=CareRequest.Status.ACCEPTED,
        decided_to_send_at=ago(40),
        sent_at=ago(39),
        sent_by=eva,
        decided_at=ago(35),
        decided_by=anna,
        episode=episode,
        client_token=uuid.uuid4(),
    )
    S = EpisodePoint.Source
    for point, at, unit, who, source in (
        ("A", ago(40), fyrbacken, eva, S.REFERRAL_SENT),
        ("B", ago(39), hamnen, eva, S.REFERRAL_RECEIVED),
        ("C", ago(35), hamnen, anna, S.REFERRAL_DECIDED),
        ("D", ago(30), hamnen, anna, S.STAFF),
        ("E", ago(12), hamnen, anna, S.STAFF),
    ):
        EpisodePoint.objects.create(
            episode=episode,
            point=point,
            at=at,
            unit=unit,
            recorded_by=who,
            recorded_at=at,
            source=source,
            source_id=str(request.pk) if source != S.STAFF else "",
        )
    EpisodePause.objects.create(
        episode=episode,
        kind=EpisodePause.Kind.PATIENT,
        starts_on=ago(28).date(),
        ends_on=ago(20).date(),
        reason="Patienten bortrest, ville börja efter hemkomsten",
        recorded_by=anna,
    )

    gunnar = citizens["gunnar"]
    waiting = Episode.objects.create(
        citizen=gunnar, unit=hamnen, pathway=pathway, status=Episode.Status.REQUESTED, opened_at=ago(2, 9)
    )
    request = CareRequest.objects.create(
        citizen=gunnar,
        from_unit=fyrbacken,
        to_unit=hamnen,
        pathway=pathway,
        reason="Nedstämdhet och sömnsvårigheter efter makans bortgång. Vill ha stöd; bor ensam.",
        decided_to_send_at=ago(2, 9),
        sent_at=ago(2, 9),
        sent_by=eva,
        episode=waiting,
        client_token=uuid.uuid4(),
    )
    for point in ("A", "B"):
        EpisodePoint.objects.create(
            episode=waiting,
            point=point,
            at=ago(2, 9),
            unit=fyrbacken if point == "A" else hamnen,
            recorded_by=eva,
            source=S.REFERRAL_SENT if point == "A" else S.REFERRAL_RECEIVED,
            source_id=str(request.pk),
        )
    _history(pathway, hamnen, fyrbacken, citizens, anna, eva, ago)
    return 2


# Ended episodes of the last months, so that the lead-time figures have something
# to show: (citizen, unit, days ago for A, days A→B, B→C, C→D, D→E, E→G, patient's wait days).
HISTORY = [
    ("sara", 0, 300, 1, 2, 6, 10, 70, 0),
    ("omar", 0, 280, 0, 1, 4, 21, 60, 14),
    ("sara", 0, 200, 2, 5, 8, 12, 40, 0),
    ("elsa", 1, 260, 1, 1, 3, 7, 56, 0),
    ("gunnar", 1, 240, 0, 2, 5, 40, 63, 0),
    ("elsa", 1, 150, 1, 3, 2, 9, 45, 10),
]


def _history(pathway, hamnen, fyrbacken, citizens, anna, eva, ago):
    S = EpisodePoint.Source
    for key, unit_index, start, *steps, wait in HISTORY:
        unit, who = (hamnen, anna) if unit_index == 0 else (fyrbacken, eva)
        day = start
        at = {"A": ago(day)}
        for point, step in zip("BCDEG", steps, strict=True):
            day -= step
            at[point] = ago(day)
        at["F"] = at["G"]
        episode = Episode.objects.create(
            citizen=citizens[key],
            unit=unit,
            pathway=pathway,
            status=Episode.Status.ENDED,
            opened_at=at["A"],
            opened_by=who,
            closed_at=at["G"],
        )
        EpisodePoint.objects.bulk_create(
            EpisodePoint(
                episode=episode, point=p, at=at[p], unit=unit, recorded_by=who, recorded_at=at[p], source=S.STAFF
            )
            for p in "ABCDEFG"
        )
        if wait:
            starts = at["D"].date() + dt.timedelta(days=1)
            EpisodePause.objects.create(
                episode=episode,
                kind=EpisodePause.Kind.PATIENT,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=wait - 1),
                reason="Patienten ville vänta",
                recorded_by=who,
            )
