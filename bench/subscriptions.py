"""Benchmark: subscription notifications, from the change to the record
system's endpoint (#31).

Usage: .venv/bin/python bench/subscriptions.py [--events 200] [--batch 20] [--rate 0]

A throw-away SQLite database (unless DATABASE_URL names an empty one), one unit,
one record system subscribed to urgent flags with a real HTTP endpoint in this
process, and a real worker process (``db_worker``, polling every 0.1 s). The
bench raises ``--events`` urgent flags one after another, as a service does,
(``--rate`` a second, or as fast as it can with 0: a burst),
and prints for each event the time from the change's commit to its receipt at
the endpoint (p50, p95, max) and the events per second delivered; next to a
floor measured in the same run: the same notifications POSTed to the same
endpoint straight from a loop, without Fyren (per POST and per second), and the
ratio. Asserts only that every event arrived once at least, in number order.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Endpoint:
    """The record system's endpoint: when each event number first arrived."""

    def __init__(self):
        from fyren.api.hook_receiver import HookReceiver

        self.received: dict[int, float] = {}
        self.posts = 0
        self.hook = HookReceiver(self._take).start()
        self.url = self.hook.url

    def _take(self, bundle: dict, headers: dict) -> int:
        from fyren.api.hook_receiver import parameters

        now = time.time()
        self.posts += 1
        for event in parameters(bundle)[1]:
            self.received.setdefault(int(event["event-number"]), now)
        return 200


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--rate", type=float, default=0, help="events raised a second (0: a burst)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["FYREN_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["FYREN_SUBSCRIPTION_HTTP_ALLOWED"] = "true"
    import django

    django.setup()
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from conftest import Make
    from fyren.api.models import Subscription, SubscriptionEvent, UnitClient
    from fyren.api.subscriptions import notification_bundle
    from fyren.flags.services import flag_raise

    call_command("migrate", verbosity=0)
    endpoint = Endpoint()
    make = Make()
    unit, patient = make.unit(), make.citizen("Pia")
    app = Application.objects.create(
        name="Journalsystemet", client_type="confidential", authorization_grant_type="client-credentials"
    )
    UnitClient.objects.create(application=app, unit=unit)
    subscription = Subscription.objects.create(
        application=app,
        unit=unit,
        topic="urgent-flag-raised",
        endpoint=endpoint.url,
        status="active",
        max_count=args.batch,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)  # the worker is up
        committed: dict[int, float] = {}
        start = time.time()
        for n in range(1, args.events + 1):
            flag_raise(kind="screening", citizen=patient, unit=unit, urgent=True, source_type="bench", source_id=str(n))
            committed[n] = time.time()
            if args.rate:
                time.sleep(max(0.0, start + n / args.rate - time.time()))
        deadline = time.time() + 120
        while len(endpoint.received) < args.events and time.time() < deadline:
            time.sleep(0.02)
        elapsed = max(endpoint.received.values()) - start
    finally:
        worker.terminate()
        worker.wait()
    assert sorted(endpoint.received) == list(range(1, args.events + 1)), "an event did not arrive"
    latencies = [endpoint.received[n] - committed[n] for n in committed]
    fyren_rate = args.events / elapsed
    rate = f"{args.rate:g} a second" if args.rate else "a burst"
    print(f"events: {args.events} ({rate}), batch (max_count): {args.batch}, POSTs: {endpoint.posts}")
    print(
        f"Fyren: commit → receipt p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
        f"{fyren_rate:.0f} events/s" + ("" if not args.rate else " (as fast as they were raised)")
    )

    # The floor: the same notifications (one event each), POSTed straight to the endpoint.
    events = list(SubscriptionEvent.objects.filter(subscription=subscription).order_by("number"))
    bodies = [json.dumps(notification_bundle(subscription, "event-notification", [e])).encode() for e in events]
    endpoint.received.clear()
    times = []
    start = time.time()
    for body in bodies:
        began = time.time()
        request = urllib.request.Request(endpoint.url, data=body, method="POST")  # noqa: S310 - our own endpoint
        request.add_header("Content-Type", "application/fhir+json")
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our own endpoint
            answer.read()
        times.append(time.time() - began)
    floor_rate = len(bodies) / (time.time() - start)
    print(
        f"floor (the same POSTs from a loop): p50 {statistics.median(times) * 1000:.1f} ms a POST, "
        f"{floor_rate:.0f} events/s"
    )
    if args.rate:
        ratio = percentile(latencies, 50) / statistics.median(times)
        print(f"ratio: an event reaches the endpoint in {ratio:.0f}× the time of a direct POST (p50)")
    else:
        print(f"ratio: Fyren delivers {fyren_rate / floor_rate:.2f}× the floor's events per second")


if __name__ == "__main__":
    main()
