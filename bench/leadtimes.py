"""Benchmark: the analysts' lead-time report over many care episodes.

Usage: .venv/bin/python bench/leadtimes.py [--episodes 20000] [--runs 5]
Loads the demo, adds N ended episodes with points A–G (every fifth with a wait
the patient chose) on the demo pathway at Hamnen and Fyrbacken, then times the
report page as ali.haddad and, as the floor, one raw SQL query that reads the
same points. Uses a throw-away SQLite database unless DATABASE_URL is set (then
it must be an empty database it may migrate). Prints medians and the ratio;
asserts nothing.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def add_episodes(pathway, units, citizens, n):
    from django.utils import timezone

    from fyren.episodes.models import Episode, EpisodePause, EpisodePoint

    now = timezone.now()
    made = Episode.objects.bulk_create(
        Episode(
            citizen=citizens[i % len(citizens)],
            unit=units[i % len(units)],
            pathway=pathway,
            status=Episode.Status.ENDED,
            opened_at=now - dt.timedelta(days=300 - i % 250),
            closed_at=now - dt.timedelta(days=200 - i % 190),
        )
        for i in range(n)
    )
    points = []
    for i, episode in enumerate(made):
        start = now - dt.timedelta(days=300 - i % 250)
        steps = (0, 1 + i % 3, 2 + i % 7, 3 + i % 11, 5 + i % 29, 30, 0)
        day = 0
        for point, step in zip("ABCDEFG", steps, strict=True):
            day += step
            points.append(
                EpisodePoint(episode=episode, point=point, at=start + dt.timedelta(days=day), unit=episode.unit)
            )
    EpisodePoint.objects.bulk_create(points, batch_size=5000)
    EpisodePause.objects.bulk_create(
        EpisodePause(
            episode=e,
            kind="patient",
            starts_on=(e.opened_at + dt.timedelta(days=3)).date(),
            ends_on=(e.opened_at + dt.timedelta(days=9)).date(),
            reason="bench",
        )
        for i, e in enumerate(made)
        if i % 5 == 0
    )


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", verbosity=0)
    from fyren.accounts.models import User
    from fyren.demo.loader import load_demo_data
    from fyren.episodes.models import Pathway
    from fyren.organisations.models import CareUnit
    from fyren.people.models import Citizen

    load_demo_data()
    pathway = Pathway.objects.get()
    units = list(CareUnit.objects.filter(region=pathway.region).order_by("pk")[:2])
    began = time.perf_counter()
    add_episodes(pathway, units, list(Citizen.objects.all()), args.episodes)
    print(f"{args.episodes} episodes added in {time.perf_counter() - began:.1f} s ({connection.vendor})")

    ali = User.objects.get(username="ali.haddad")
    client = Client(HTTP_HOST="localhost")
    client.force_login(ali, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.filter(user=ali).first().persistent_id
    session.save()
    query = {"pathway": pathway.pk, "from_point": "B", "to_point": "E", "start": "2020-01-01", "end": "2030-01-01"}
    response = client.get("/pathways/lead-times/", query)
    assert response.status_code == 200
    counted = sum(r.summary.count for r in response.context["rows"])

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.episode_id, p.point, p.at FROM episodes_episodepoint p "
                "JOIN episodes_episode e ON e.id = p.episode_id WHERE e.pathway_id = %s",
                [pathway.pk],
            )
            cursor.fetchall()

    page = median_ms(lambda: client.get("/pathways/lead-times/", query), args.runs)
    csv = median_ms(lambda: client.get("/pathways/lead-times/", {**query, "format": "points"}), args.runs)
    raw = median_ms(floor, args.runs)
    print(f"report page ({counted} lead times)  median {page:7.0f} ms")
    print(f"points CSV                        median {csv:7.0f} ms")
    print(f"floor: raw SQL of the same points median {raw:7.0f} ms   page/floor {page / raw:5.1f}")


if __name__ == "__main__":
    main()
