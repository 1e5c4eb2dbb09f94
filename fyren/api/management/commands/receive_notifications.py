"""A small record-system endpoint for the demo: it listens for subscription
notifications (``make run`` starts it for Hamnen's record system) and prints one
line per notification and event, so what Fyren sends can be watched. It answers
2xx to everything; a real receiver checks a header it chose (docs/api.md)."""

import contextlib
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand


def summary(bundle: dict) -> list[str]:
    """What a notification Bundle says, one line per event (or one for a handshake or heartbeat)."""
    status = bundle["entry"][0]["resource"]
    values: dict = {}
    events = []
    for parameter in status.get("parameter", []):
        if parameter["name"] == "notification-event":
            part = {p["name"]: p for p in parameter.get("part", [])}
            number = part.get("event-number", {}).get("valueString", "?")
            focus = part.get("focus", {}).get("valueReference", {}).get("reference", "")
            events.append((number, focus))
        else:
            values[parameter["name"]] = next((v for k, v in parameter.items() if k.startswith("value")), None)
    topic = str(values.get("topic", "")).rsplit("/", 1)[-1]
    included = len(bundle.get("entry", [])) - 1
    if not events:
        return [f"{values.get('type')} ({topic}, {values.get('events-since-subscription-start')} events so far)"]
    return [
        f"event {number}: {topic} → {focus or '(empty)'}" + (f" (+{included} resources)" if included else "")
        for number, focus in events
    ]


class Command(BaseCommand):
    help = "Listen for subscription notifications and print them (the demo's record system)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--name", default="Journalsystem Hamnen")

    def handle(self, *args, port: int, name: str, **options):
        out = self.stdout

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                try:
                    bundle = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    for line in summary(bundle):
                        out.write(f"[{name}] {line}")
                    self.send_response(200)
                except (ValueError, KeyError, IndexError, TypeError) as exc:
                    out.write(f"[{name}] not a notification Bundle: {exc}")
                    self.send_response(400)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        out.write(f"[{name}] listening at http://127.0.0.1:{port}/ for Fyren's notifications")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
