"""A small endpoint that receives subscription notifications, as a record
system's would: an HTTP server on 127.0.0.1 in a thread, handing each POSTed
Bundle (and its headers) to a callback and answering with the status the
callback returns. The demo's receiver (``manage.py receive_notifications``), the
tests and ``bench/subscriptions.py`` use it; nothing in Fyren's serving does."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OnBundle = Callable[[dict, dict], int]  # (bundle, headers) → the HTTP status to answer


class HookReceiver:
    def __init__(self, on_bundle: OnBundle, *, port: int = 0, path: str = "/hook"):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                try:
                    bundle = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    status = on_bundle(bundle, dict(self.headers))
                except ValueError:  # not JSON (or refused by the callback as such)
                    status = 400
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self) -> HookReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def parameters(bundle: dict) -> tuple[dict, list[dict]]:
    """A notification's status Parameters read as (values by name, events), each
    event a dict of its parts' values (``focus`` as the reference)."""
    status = bundle["entry"][0]["resource"]
    values: dict = {}
    events: list[dict] = []
    for parameter in status.get("parameter", []):
        if parameter["name"] == "notification-event":
            part = {
                p["name"]: next((v for k, v in p.items() if k.startswith("value")), None) for p in parameter["part"]
            }
            focus = part.get("focus")
            if isinstance(focus, dict):
                part["focus"] = focus.get("reference", "")
            events.append(part)
        else:
            values[parameter["name"]] = next((v for k, v in parameter.items() if k.startswith("value")), None)
    return values, events
