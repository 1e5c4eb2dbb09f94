"""SMS delivery behind one small interface. ``FYREN_SMS_BACKEND`` names the
class: the console backend for the demo, the in-memory one for tests, the file
one for tests across processes; a provider's backend implements
``send(to, text, idempotency_key=…)`` the same way, passing the key on to a
gateway that supports one so a retried notice is delivered once."""

import json
import logging
import os
import time

from django.conf import settings
from django.utils.module_loading import import_string

LOG = logging.getLogger(__name__)


class SmsBackend:
    def send(self, to: str, text: str, idempotency_key: str = "") -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, to: str, text: str, idempotency_key: str = "") -> None:
        LOG.info("SMS to %s (%s): %s", to, idempotency_key, text)


outbox: list[tuple[str, str]] = []


class MemorySmsBackend(SmsBackend):
    """Keeps messages in ``fyren.notifications.sms.outbox`` (tests). ``fail_next``
    makes the next sends raise, to test retries."""

    fail_next = 0

    def send(self, to: str, text: str, idempotency_key: str = "") -> None:
        if MemorySmsBackend.fail_next > 0:
            MemorySmsBackend.fail_next -= 1
            raise ConnectionError("SMS gateway unavailable")
        outbox.append((to, text))


class FileSmsBackend(SmsBackend):
    """Appends one JSON line per accepted message to ``FYREN_SMS_FILE`` (tests
    that run the worker as a separate process). ``FYREN_SMS_FILE_DELAY_MS``
    makes each send take that long, like a slow gateway: half before the
    gateway accepts the message, half after (the window where a crash leaves an
    accepted message unrecorded)."""

    def send(self, to: str, text: str, idempotency_key: str = "") -> None:
        delay = int(os.environ.get("FYREN_SMS_FILE_DELAY_MS", "0")) / 2000
        time.sleep(delay)
        line = json.dumps({"to": to, "text": text, "key": idempotency_key, "pid": os.getpid()})
        with open(os.environ["FYREN_SMS_FILE"], "a", encoding="utf-8") as out:
            out.write(line + "\n")
            out.flush()
            os.fsync(out.fileno())
        time.sleep(delay)


def get_backend() -> SmsBackend:
    return import_string(str(settings.FYREN_SMS_BACKEND))()
