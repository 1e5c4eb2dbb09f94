"""Faults (#18): kill -9 the app server and the task worker in the middle of a
load run, restart them, and check what the clients were told against what was
stored and sent.

    DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren_faults .venv/bin/python bench/faults.py [--seconds 30]

The database must exist (empty: the demo is loaded; it may be reused). Eight
citizens send messages through the REST API and two clinicians reply through
the pages, each submission retried with the same client token until the server
acknowledges it (201 / 302), as the app and the browser do. Every reply makes
a notification that the task worker e-mails (Django's file backend, one file
per e-mail). While they run, gunicorn (master and workers) and the worker are
killed with SIGKILL and restarted, several times. Then the clients stop, the
stalled notifications are swept as the scheduler does, the worker drains, and
the script checks:

- every submission a client saw acknowledged is stored exactly once;
- every notification was sent, and every e-mail file belongs to one; an
  e-mail sent twice (the worker killed between sending and recording it) is
  counted in the notice's ``redeliveries`` and carries the same Message-ID, so
  mail systems keep one (decisions #41);
- the access log verifies.

It prints what it tried and what it found; it exits 1 if a check fails.
"""

import argparse
import email
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import gunicorn  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
PORT = 8795
MAIL = Path(tempfile.mkdtemp(prefix="fyren-faults-mail-"))
ENV = {
    **os.environ,
    "FYREN_ALLOWED_HOSTS": "127.0.0.1",
    "FYREN_DEMO": "1",
    "FYREN_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "FYREN_EMAIL_FILE_PATH": str(MAIL),
    # A notice left "sending" by a killed worker is sent again after this many seconds.
    "FYREN_NOTIFY_SENDING_TIMEOUT": "5",
    "FYREN_NOTIFY_QUEUED_TIMEOUT": "10",
}
# The sweep run here (as the scheduler) must use the same timeouts as the worker.
os.environ.update({k: ENV[k] for k in ("FYREN_NOTIFY_SENDING_TIMEOUT", "FYREN_NOTIFY_QUEUED_TIMEOUT")})


def prepare(citizens: int) -> dict:
    import django

    django.setup()
    import secrets
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from load import _session
    from oauth2_provider.models import AccessToken, Application

    from fyren.accounts.models import User
    from fyren.care.models import Enrolment
    from fyren.messaging.services import thread_for_enrolment
    from fyren.organisations.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        from fyren.demo.loader import load_demo_data

        load_demo_data()
    from dashboard import add_patients

    clinician = User.objects.get(username="anna.lind")
    sara = Enrolment.objects.filter(citizen__given_name="Sara").select_related("unit", "program_version").first()
    run = uuid.uuid4().hex[:6]
    # Identity numbers from a random start, so the database can be reused for another run.
    add_patients(sara.unit, sara.program_version, citizens, prefix=f"faults-{run}-", start=secrets.randbelow(9000))
    enrolments = list(
        Enrolment.objects.filter(citizen__user__username__startswith=f"faults-{run}-").select_related("citizen__user")
    )
    app = Application.objects.get(client_id="fyren-app")
    people = []
    for n, e in enumerate(enrolments):
        citizen = e.citizen
        citizen.email, citizen.notify_email = f"p{n}-{run}@example.org", True
        citizen.save(update_fields=["email", "notify_email"])
        token = AccessToken.objects.create(
            user=citizen.user,
            application=app,
            token=secrets.token_urlsafe(24),
            expires=timezone.now() + timedelta(hours=2),
            scope="patient/*.rs patient/Communication.crus",
        )
        people.append({"token": token.token, "thread": thread_for_enrolment(e).pk, "citizen": citizen.pk})
    device = TOTPDevice.objects.filter(user=clinician, confirmed=True).first()
    return {"unit": sara.unit.pk, "staff_session": _session(clinician, device), "people": people, "run": run}


class Processes:
    """gunicorn and the task worker, each in its own process group so that a kill reaches all of it."""

    def __init__(self):
        self.server = self.worker = None

    def start_server(self):
        self.server = gunicorn(PORT, ENV, new_session=True)  # returns once it answers

    def start_worker(self):
        self.worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @staticmethod
    def kill(process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self):
        for process in (self.server, self.worker):
            if process and process.poll() is None:
                self.kill(process)


class Client(threading.Thread):
    """Sends submissions until told to stop; each is retried with the same token until acknowledged."""

    def __init__(self, stop: threading.Event, send):
        super().__init__(daemon=True)
        self.stop, self.send = stop, send
        self.acknowledged: list[str] = []
        self.retries = 0

    def run(self):
        while not self.stop.is_set():
            token = str(uuid.uuid4())
            while True:
                try:
                    if self.send(token):
                        self.acknowledged.append(token)
                        break
                except (OSError, http.client.HTTPException):
                    pass
                self.retries += 1
                if self.stop.is_set():
                    return  # this one was never acknowledged: the client would try again later
                time.sleep(0.2)


def citizen_sender(person):
    def send(token):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        body = urlencode({"body": "Hej, en fråga.", "client_token": token})
        conn.request(
            "POST",
            f"/api/v1/me/threads/{person['thread']}/messages",
            body=body,
            headers={"Authorization": f"Bearer {person['token']}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        return conn.getresponse().status == 201

    return send


def staff_sender(setup, person):
    cookie_session = f"sessionid={setup['staff_session']}"
    url = f"/clinic/{setup['unit']}/threads/{person['thread']}/"

    def send(token):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        conn.request("GET", url, headers={"Cookie": cookie_session})
        page = conn.getresponse()
        html = page.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if page.status != 200 or not form_token:
            return False
        cookies = cookie_session + (f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else "")
        body = urlencode({"csrfmiddlewaretoken": form_token.group(1), "body": "Tack, vi hörs.", "client_token": token})
        conn.request(
            "POST",
            url,
            body=body,
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded", "Referer": url},
        )
        return conn.getresponse().status == 302

    return send


def drain(timeout=120.0):
    """Sweep stalled notices (as the scheduler does) until every one is sent or the time is up."""
    from fyren.notifications.models import Notification
    from fyren.notifications.tasks import notifications_sweep

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        notifications_sweep()
        if not Notification.objects.exclude(status__in=["sent", "gave_up"]).exists():
            return True
        time.sleep(1)
    return False


def main():  # noqa: C901 - a script that tells a story
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--citizens", type=int, default=8)
    args = parser.parse_args()
    setup = prepare(args.citizens)
    from django.core.management import CommandError, call_command

    from fyren.messaging.models import Message
    from fyren.notifications.models import Notification

    started_at = time.time()
    processes = Processes()
    processes.start_server()
    processes.start_worker()
    stop = threading.Event()
    clients = [Client(stop, citizen_sender(p)) for p in setup["people"]]
    clients += [Client(stop, staff_sender(setup, p)) for p in setup["people"][:2]]
    staff = clients[len(setup["people"]) :]
    for client in clients:
        client.start()
    kills = []
    step = args.seconds / 6
    for n in range(5):
        time.sleep(step)
        which = ("server", "worker", "both")[n % 3]
        if which in ("server", "both"):
            processes.kill(processes.server)
        if which in ("worker", "both"):
            processes.kill(processes.worker)
        kills.append(f"{time.time() - started_at:4.1f} s: kill -9 {which}")
        time.sleep(0.5)
        if which in ("server", "both"):
            processes.start_server()
        if which in ("worker", "both"):
            processes.start_worker()
    time.sleep(step)
    stop.set()
    for client in clients:
        client.join(timeout=15)
    drained = drain()
    processes.stop()

    acknowledged = [t for c in clients for t in c.acknowledged]
    stored = Message.objects.filter(client_token__in=acknowledged).values_list("client_token", flat=True)
    stored_tokens = [str(t) for t in stored]
    missing = set(acknowledged) - set(stored_tokens)
    duplicated = len(stored_tokens) - len(set(stored_tokens))
    replies = Message.objects.filter(client_token__in=[t for c in staff for t in c.acknowledged])
    notices = Notification.objects.filter(event_key__in=[f"message:{m.pk}" for m in replies])
    keys = {str(n.idempotency_key): n for n in notices}
    mails = []
    for path in MAIL.iterdir():
        for part in re.split(r"\n-{79}\n", path.read_text()):
            if part.strip():
                mails.append(email.message_from_string(part.strip()).get("X-Fyren-Notice"))
    # A notice left over from an earlier run on the same database may be sent now: it is still a notice.
    known = {
        str(k)
        for k in Notification.objects.filter(idempotency_key__in=set(mails)).values_list("idempotency_key", flat=True)
    }
    unknown = [k for k in mails if k not in known]
    mails = [k for k in mails if k in keys]
    unsent = [n for n in notices if n.status != "sent"]
    never_mailed = [k for k in keys if k not in mails]
    twice = {k for k in mails if mails.count(k) > 1}
    unexplained_twice = [k for k in twice if keys[k].redeliveries < mails.count(k) - 1] if not unknown else []
    log_ok = True
    try:
        call_command("verify_access_log", verbosity=0)
    except CommandError:
        log_ok = False

    print(f"{args.seconds} s of load: {args.citizens} citizens sending (REST API), 2 clinicians replying (pages)")
    for line in kills:
        print("  " + line + ", restarted")
    retries = sum(c.retries for c in clients)
    print(f"acknowledged: {len(acknowledged)} submissions ({retries} retries after errors or lost answers)")
    print(f"  stored: {len(set(stored_tokens))}; missing: {len(missing)}; stored twice: {duplicated}")
    print(
        f"notifications for {replies.count()} replies: {len(keys)}; sent: {len(keys) - len(unsent)}; "
        f"e-mails: {len(mails)} ({len(set(mails))} distinct Message-IDs); never sent: {len(never_mailed)}; "
        f"sent twice: {len(twice)} (each counted as a redelivery: {not unexplained_twice}); "
        f"e-mails of no notice: {len(unknown)}; drained: {drained}"
    )
    print(f"access log verifies: {log_ok}")
    ok = not missing and not duplicated and not unsent and not never_mailed and not unknown
    ok = ok and not unexplained_twice and log_ok and drained and len(keys) == replies.count()
    print("RESULT:", "every check holds" if ok else "A CHECK FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
