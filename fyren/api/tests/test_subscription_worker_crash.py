# ruff: noqa: F811 - the scratch database fixture is imported from the notices' crash test
"""The worker is a real process and is killed with SIGKILL twice in the middle
of a burst of subscription events; after a restart and the sweep, the record
system's endpoint (a real HTTP server in this process) has received every event
number from 1 to the last, and an event more than once only when a worker died
after the POST (at most one batch a death): at least once, never a gap.

Runs against a scratch database of the same kind as the test run's, because the
worker is another process (``notifications/tests/test_worker_crash.py``)."""

import json
import os
import signal
import threading
import time
from collections import Counter

from fyren.api.hook_receiver import HookReceiver, parameters
from fyren.notifications.tests.test_worker_crash import _manage, _start, _wait, scratch  # noqa: F401 - fixture

EVENTS = 40
BATCH = 2  # events in one notification (max_count)
SEED = """
from oauth2_provider.models import Application
from conftest import Make
from fyren.api.models import Subscription, UnitClient
from fyren.flags.services import flag_raise
make = Make()
unit = make.unit()
patient = make.citizen("Pia")
app = Application.objects.create(name="Journalsystemet", client_id="journal-a", client_type="confidential",
    authorization_grant_type="client-credentials")
UnitClient.objects.create(application=app, unit=unit)
Subscription.objects.create(application=app, unit=unit, topic="urgent-flag-raised", endpoint="{endpoint}",
    status="active", max_count={batch}, timeout=5)
for n in range({events}):
    flag_raise(kind="screening", citizen=patient, unit=unit, urgent=True, source_type="crash", source_id=str(n))
"""
REPORT = """
import json
from fyren.api.models import Subscription, SubscriptionEvent as E
s = Subscription.objects.get()
print(json.dumps({"status": s.status, "count": s.events_count,
    "undelivered": E.objects.filter(delivered_at__isnull=True).count(),
    "deliveries": sum(E.objects.values_list("deliveries", flat=True))}))
"""


class SlowReceiver:
    """Takes every POSTed Bundle a little slowly, so that a kill lands inside a burst."""

    def __init__(self):
        self.numbers: list[int] = []
        self.lock = threading.Lock()
        self.hook = HookReceiver(self._take).start()
        self.url = self.hook.url

    def _take(self, bundle: dict, headers: dict) -> int:
        time.sleep(0.05)
        _values, events = parameters(bundle)
        with self.lock:
            self.numbers.extend(int(e["event-number"]) for e in events)
        return 200

    def received(self) -> set[int]:
        with self.lock:
            return set(self.numbers)


def _report(env) -> dict:
    return json.loads(_manage(env, "shell", "--no-imports", "-c", REPORT).stdout.strip().splitlines()[-1])


def test_killing_the_worker_mid_burst_loses_no_event(scratch):
    receiver = SlowReceiver()
    env = {**scratch, "FYREN_SUBSCRIPTION_HTTP_ALLOWED": "true", "FYREN_SUBSCRIPTION_SENDING_TIMEOUT": "2"}
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "shell", "-c", SEED.format(endpoint=receiver.url, batch=BATCH, events=EVENTS))
        assert _report(env)["count"] == EVENTS and not receiver.numbers  # written, nothing sent yet
        worker_args = ("db_worker", "--interval", "0.2", "--no-startup-delay")
        # The scheduler's sweep runs throughout: it is what takes up a dead worker's subscription.
        sweeper = _start(env, "sweep_subscriptions", "--loop", "1")
        kills = 0
        try:
            for wanted in (6, 16):
                worker = _start(env, *worker_args)
                assert _wait(lambda wanted=wanted: len(receiver.received()) >= wanted, 60), "nothing was sent"
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
                kills += 1
            before = _report(env)
            assert before["undelivered"] > 0  # the kills really interrupted the burst
            worker = _start(env, *worker_args)
            try:
                done = _wait(lambda: receiver.received() == set(range(1, EVENTS + 1)), 90)
                _wait(lambda: _report(env)["undelivered"] == 0, 30)
            finally:
                worker.kill()
                worker.wait()
        finally:
            sweeper.kill()
            sweeper.wait()
        after = _report(env)
        assert done, sorted(set(range(1, EVENTS + 1)) - receiver.received())
        assert after == {**after, "status": "active", "undelivered": 0}
        duplicates = sum(n - 1 for n in Counter(receiver.numbers).values())
        print(f"worker kills: {kills}, undelivered at the restart: {before['undelivered']}, duplicates: {duplicates}")
        assert duplicates <= kills * BATCH, (duplicates, kills)
    finally:
        receiver.hook.stop()
