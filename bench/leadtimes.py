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
import statistics
import time

from common import django_with_demo, staff_client


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
    django_with_demo()
    from django.db import connection

    from fyren.episodes.models import Pathway
    from fyren.organisations.models import CareUnit
    from fyren.people.models import Citizen

    pathway = Pathway.objects.get()
    units = list(CareUnit.objects.filter(region=pathway.region).order_by("pk")[:2])
    began = time.perf_counter()
    add_episodes(pathway, units, list(Citizen.objects.all()), args.episodes)
    print(f"{args.episodes} episodes added in {time.perf_counter() - began:.1f} s ({connection.vendor})")

    client = staff_client("ali.haddad")
    query = {"pathway": pathway.pk, "from_point": "B", "to_point": "E", "start": "2020-01-01", "end": "2030-01-01"}
    response = client.get("/pathways/lead-times/", query)
    assert response.status_code == 200
    from fyren.episodes.selectors import lead_time_report

    rows, _target = lead_time_report(
        units=units, pathway=pathway, from_point="B", to_point="E", start=dt.date(2020, 1, 1), end=dt.date(2030, 1, 1)
    )
    counted = sum(r.summary.count for r in rows)

    select = (
        "SELECT p.episode_id, p.point, p.at FROM episodes_episodepoint p "
        "JOIN episodes_episode e ON e.id = p.episode_id WHERE e.pathway_id = %s"
    )

    def floor(sql, params):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    page = median_ms(lambda: client.get("/pathways/lead-times/", query), args.runs)
    two = median_ms(floor(select + " AND p.point IN (%s, %s)", [pathway.pk, "B", "E"]), args.runs)
    csv = median_ms(lambda: client.get("/pathways/lead-times/", {**query, "format": "points"}), args.runs)
    every = median_ms(floor(select, [pathway.pk]), args.runs)
    print(f"report page ({counted} lead times)  median {page:6.0f} ms")
    print(f"  floor: raw SQL, points B and E   median {two:6.0f} ms   ratio {page / two:4.1f}")
    print(f"points CSV (all points, codes)     median {csv:6.0f} ms")
    print(f"  floor: raw SQL, every point      median {every:6.0f} ms   ratio {csv / every:4.1f}")


if __name__ == "__main__":
    main()
