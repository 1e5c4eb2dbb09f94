"""A small record-system endpoint for the demo: it listens for subscription
notifications (``make run`` starts it for Hamnen's record system) and prints one
line per notification and event, so what Fyren sends can be watched. It answers
2xx to everything; a real receiver checks a header it chose (docs/api.md)."""

import contextlib

from django.core.management.base import BaseCommand

from fyren.api.hook_receiver import HookReceiver, parameters


def summary(bundle: dict) -> list[str]:
    """What a notification Bundle says, one line per event (or one for a handshake or heartbeat)."""
    values, events = parameters(bundle)
    topic = str(values.get("topic", "")).rsplit("/", 1)[-1]
    included = len(bundle.get("entry", [])) - 1
    if not events:
        return [f"{values.get('type')} ({topic}, {values.get('events-since-subscription-start')} events so far)"]
    return [
        f"event {e.get('event-number', '?')}: {topic} → {e.get('focus') or '(empty)'}"
        + (f" (+{included} resources)" if included else "")
        for e in events
    ]


def printer(write, name: str):
    """The receiving callback that prints each notification's events with ``write``
    (2xx for a notification Bundle, 400 for anything else)."""

    def show(bundle: dict, headers: dict) -> int:
        try:
            lines = summary(bundle)
        except (KeyError, IndexError, TypeError) as exc:
            write(f"[{name}] not a notification Bundle: {exc}")
            return 400
        for line in lines:
            write(f"[{name}] {line}")
        return 200

    return show


class Command(BaseCommand):
    help = "Listen for subscription notifications and print them (the demo's record system)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--name", default="Journalsystem Hamnen")

    def handle(self, *args, port: int, name: str, **options):
        receiver = HookReceiver(printer(self.stdout.write, name), port=port)
        self.stdout.write(f"[{name}] listening at http://127.0.0.1:{port}/ for Fyren's notifications")
        with contextlib.suppress(KeyboardInterrupt):
            receiver.server.serve_forever()
