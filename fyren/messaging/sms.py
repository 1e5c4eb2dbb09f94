"""SMS delivery behind one small interface. ``FYREN_SMS_BACKEND`` names the
class: the console backend for the demo, the in-memory one for tests; a
provider's backend implements ``send(to, text)`` the same way."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

LOG = logging.getLogger(__name__)


class SmsBackend:
    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> None:
        LOG.info("SMS to %s: %s", to, text)


outbox: list[tuple[str, str]] = []


class MemorySmsBackend(SmsBackend):
    """Keeps messages in ``fyren.messaging.sms.outbox`` (tests). ``fail_next``
    makes the next sends raise, to test retries."""

    fail_next = 0

    def send(self, to: str, text: str) -> None:
        if MemorySmsBackend.fail_next > 0:
            MemorySmsBackend.fail_next -= 1
            raise ConnectionError("SMS gateway unavailable")
        outbox.append((to, text))


def get_backend() -> SmsBackend:
    return import_string(str(settings.FYREN_SMS_BACKEND))()
