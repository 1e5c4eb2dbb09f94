"""The scaled-out deployment tried on one machine (#18): two app servers (gunicorn)
sharing Redis (cache, sessions, task queue) and a PostgreSQL primary with a
streaming read replica, and RQ's worker sending the notifications.

    .venv/bin/python bench/scale_out.py          # as root or as a user that may run `runuser -u postgres`

It makes a throw-away PostgreSQL cluster of its own (initdb, ports 5434 and 5435,
under a temporary directory; the packaged cluster is not touched), loads the demo
into the primary, copies it to a hot standby with pg_basebackup and starts
Redis on port 6392. Then it logs a clinician in on server A, goes on with the same
session on server B, replies to a patient there, waits for the worker to send the
(content-free) e-mail, checks the reply is on the replica, opens the national
report (whose reads go to the replica) on both servers and reads the replica's
own counters, kills server A with SIGKILL and goes on against B. It prints what
it tried and what it found, and stops everything it started. Asserts nothing.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import gunicorn  # noqa: E402

PRIMARY, REPLICA, REDIS = 5434, 5435, 6392
SERVERS = {"A": 8811, "B": 8812}


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return str(versions[-1] / "bin" / name)


def as_postgres(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = list(args) if os.getuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603


def start_databases(tmp: Path) -> None:
    primary = tmp / "primary"
    as_postgres(pg_bin("initdb"), "-D", str(primary), "--auth=trust", "-U", "postgres", "-E", "UTF8")
    options = f"-p {PRIMARY} -k {tmp} -c listen_addresses=127.0.0.1 -c wal_level=replica"
    as_postgres(pg_bin("pg_ctl"), "-D", str(primary), "-o", options, "-l", str(tmp / "primary.log"), "-w", "start")
    as_postgres(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PRIMARY), "-U", "postgres", "fyren")


def start_replica(tmp: Path) -> None:
    replica = tmp / "replica"
    as_postgres(
        pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY), "-U", "postgres", "-D", str(replica),
        "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    # Every statement logged with the client's name (psql's own are told apart): what the app read here.
    options = (
        f"-p {REPLICA} -k {tmp} -c listen_addresses=127.0.0.1 -c hot_standby=on "
        "-c log_statement=all -c log_line_prefix=app=%a: -c logging_collector=off"
    )
    as_postgres(pg_bin("pg_ctl"), "-D", str(replica), "-o", options, "-l", str(tmp / "replica.log"), "-w", "start")


def stop_databases(tmp: Path) -> None:
    for name in ("replica", "primary"):
        if (tmp / name / "postmaster.pid").exists():
            as_postgres(pg_bin("pg_ctl"), "-D", str(tmp / name), "-m", "immediate", "stop", check=False)


def psql(port: int, sql: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own statements
        [
            shutil.which("psql") or "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "fyren",
            "-qtAc",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def replica_statements(tmp: Path) -> int:
    """Statements the app servers have sent to the replica so far (its log; psql's left out)."""
    with open(tmp / "replica.log", errors="replace") as log:
        return sum(
            1
            for line in log
            if not line.startswith("app=psql") and "statement: SELECT" in line and "set_config" not in line
        )


def login(session, base: str, env: dict, username: str) -> None:
    page = session.get(f"{base}/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    code = manage(env, "demo_totp", username).split()[0]
    done = session.post(
        f"{base}/account/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": "fyren-demo-2026", "otp_token": code},
        headers={"Referer": f"{base}/account/login/"},
    )
    assert done.ok, done.status_code


def main() -> None:  # noqa: PLR0915 - one story, told in order
    import requests

    tmp = Path(tempfile.mkdtemp(prefix="fyren-scale-out-"))
    os.chmod(tmp, 0o777)  # noqa: S103 - the postgres user writes its clusters and sockets here
    mail = tmp / "mail"
    mail.mkdir()
    os.chmod(mail, 0o777)  # noqa: S103
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY}/fyren",
        "FYREN_DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA}/fyren",
        "FYREN_REDIS_URL": f"redis://127.0.0.1:{REDIS}/0",
        "FYREN_DEMO": "1",
        "FYREN_ALLOWED_HOSTS": "127.0.0.1",
        "FYREN_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "FYREN_EMAIL_FILE_PATH": str(mail),
    }
    env.pop("FYREN_TASKS_BACKEND", None)
    processes: list[subprocess.Popen] = []
    started = time.perf_counter()
    try:
        start_databases(tmp)
        subprocess.run(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(REDIS),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
        )
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_data")
        start_replica(tmp)
        print(
            f"set up in {time.perf_counter() - started:.0f} s: PostgreSQL primary :{PRIMARY} with a streaming "
            f"hot standby :{REPLICA} (pg_basebackup), Redis :{REDIS}, the demo loaded"
        )
        servers = {name: gunicorn(port, env, new_session=True) for name, port in SERVERS.items()}
        processes += servers.values()
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        processes.append(worker)
        a, b = (f"http://127.0.0.1:{port}" for port in SERVERS.values())
        print(f"app servers: A {a}, B {b} (gunicorn, 2 workers each); RQ worker on Redis")

        # 1. Sessions: log in on A, go on on B.
        clinician = requests.Session()
        login(clinician, a, env, "anna.lind")
        unit, thread = psql(
            PRIMARY,
            "SELECT t.unit_id || ' ' || t.id FROM messaging_thread t JOIN organisations_careunit u ON u.id = t.unit_id "
            "JOIN people_citizen c ON c.id = t.citizen_id WHERE u.name LIKE '%Hamnen%' AND c.given_name = 'Sara' "
            "ORDER BY t.id LIMIT 1",
        ).split()
        on_b = clinician.get(f"{b}/clinic/{unit}/", allow_redirects=False)
        shown = "the dashboard" if on_b.status_code == 200 and 'id="cap-clinic-dashboard-1"' in on_b.text else "NOT it"
        print(f"1. logged in on A; the dashboard on B with the same session: HTTP {on_b.status_code}, {shown}")

        # 2. A write on B; the notification through Redis and the worker; the row on the replica.
        psql(PRIMARY, "UPDATE people_citizen SET notify_email = true WHERE given_name = 'Sara' AND email <> ''")
        page = clinician.get(f"{b}/clinic/{unit}/threads/{thread}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        client_token = str(uuid.uuid4())
        sent_at = time.perf_counter()
        reply = clinician.post(
            f"{b}/clinic/{unit}/threads/{thread}/",
            data={"csrfmiddlewaretoken": token, "body": "Hej Sara, vi hörs på torsdag.", "client_token": client_token},
            headers={"Referer": f"{b}/clinic/{unit}/threads/{thread}/"},
            allow_redirects=False,
        )
        on_replica = None
        for _ in range(100):
            found = f"SELECT count(*) FROM messaging_message WHERE client_token = '{client_token}'"  # noqa: S608 - a uuid
            if psql(REPLICA, found) == "1":
                on_replica = time.perf_counter() - sent_at
                break
            time.sleep(0.02)
        mails = []
        for _ in range(150):
            mails = list(mail.iterdir())
            if mails:
                break
            time.sleep(0.1)
        mailed = time.perf_counter() - sent_at
        notices = psql(PRIMARY, "SELECT string_agg(channel || ':' || status, ', ') FROM messaging_notification")
        body = mails[0].read_text(errors="replace") if mails else ""
        print(
            f"2. reply on B: HTTP {reply.status_code}; on the replica after {on_replica * 1000:.0f} ms"
            if on_replica is not None
            else "2. reply on B: NOT on the replica within 2 s"
        )
        print(
            f"   notices: {notices or 'none'}; the worker sent {len(mails)} e-mail(s) within {mailed:.1f} s; "
            "the reply's words in it: "
            f"{'yes (a leak!)' if 'torsdag' in body else 'no (content-free notice)'}"
        )

        # 3. Reports read from the replica.
        analyst = requests.Session()
        login(analyst, a, env, "greta.nord")
        before = replica_statements(tmp)
        report_a = analyst.get(f"{a}/reporting/national/", allow_redirects=False)
        report_b = analyst.get(f"{b}/reporting/national/", allow_redirects=False)
        time.sleep(0.3)
        after = replica_statements(tmp)
        clinician.get(f"{b}/clinic/{unit}/", allow_redirects=False)
        clinician.get(f"{a}/clinic/{unit}/enrolments/", allow_redirects=False)
        time.sleep(0.3)
        clinic_after = replica_statements(tmp)
        print(
            f"3. the national report on A and B: HTTP {report_a.status_code}, {report_b.status_code}; "
            f"SELECTs on the replica meanwhile: {after - before}; during two clinical pages: "
            f"{clinic_after - after} (they read the primary)"
        )

        # 4. Server A dies; B goes on with the same session.
        os.killpg(servers["A"].pid, signal.SIGKILL)
        servers["A"].wait()
        try:
            requests.get(f"{a}/", timeout=2)
            a_state = "still answering"
        except requests.RequestException:
            a_state = "gone"
        again = clinician.get(f"{b}/clinic/{unit}/inbox/", allow_redirects=False)
        print(f"4. A killed with SIGKILL ({a_state}); the inbox on B with the same session: HTTP {again.status_code}")
        time.sleep(0.5)
        written = psql(PRIMARY, "SELECT pg_current_wal_lsn()")
        replayed = psql(REPLICA, "SELECT pg_last_wal_replay_lsn()")
        behind = psql(PRIMARY, f"SELECT pg_wal_lsn_diff('{written}', '{replayed}')")
        print(
            f"   the primary's WAL at {written}, the replica replayed to {replayed}: {int(float(behind))} bytes behind"
        )
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        redis_cli = shutil.which("redis-cli") or "redis-cli"
        subprocess.run([redis_cli, "-p", str(REDIS), "shutdown", "nosave"], capture_output=True, check=False)  # noqa: S603
        stop_databases(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"in all: {time.perf_counter() - started:.0f} s; everything started here is stopped and removed")


if __name__ == "__main__":
    main()
