import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "fyren_last_seen"
# The time of the last request is written to the session at most this often: a
# request within a minute of the last write changes nothing, so the session is
# not saved on every request (#18). Idle time counts from the last write, so a
# session may end up to this much earlier than the idle limit, never later.
TOUCH_SECONDS = 60


class SessionTimeoutMiddleware:
    """End a session after a period without requests: 15 minutes for staff
    (configurable), longer for citizens. Works across processes because the
    time lives in the session store. The session is written only when the time
    recorded is more than TOUCH_SECONDS old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            limit = settings.FYREN_STAFF_IDLE_SECONDS if user.is_staff_member else settings.FYREN_CITIZEN_IDLE_SECONDS
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > limit:
                logout(request)
                messages.info(request, _("You were logged out after a period without activity. Please log in again."))
            elif last_seen is None or now - int(last_seen) >= TOUCH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
