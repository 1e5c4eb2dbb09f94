"""Load scenarios for locust (run by ``bench/load.py``, which prepares the
people, sessions and tokens and passes them in the file named by
FYREN_LOAD_PEOPLE). Each user class is one mix; users do not wait between
requests, so a run measures what the server can carry.

- CitizenMix: the start page, a program's plan, a step, answering a
  questionnaire (start it, submit every answer), sending a message, the
  bookings.
- ClinicianMix: the unit's dashboard, flags, inbox, an enrolment, a
  conversation and a reply.
- ApiMix: a citizen's app on the REST API and the FHIR server with a token.
- BigUnit: the dashboard and inbox of a unit with thousands of patients.
- Floor: a minimal authenticated view doing one indexed query.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, constant, task

PEOPLE = json.load(open(os.environ["FYREN_LOAD_PEOPLE"]))  # noqa: SIM115 - read once at import
_next = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Base(HttpUser):
    abstract = True
    wait_time = constant(0)
    kind = ""

    def on_start(self):
        people = PEOPLE[self.kind]
        self.me = people[next(_next) % len(people)]
        if "session" in self.me:
            self.client.cookies.set(PEOPLE["cookie_name"], self.me["session"])

    def csrf(self, url, name):
        page = self.client.get(url, name=name)
        found = CSRF.search(page.text)
        return found.group(1) if found else ""


class Floor(_Base):
    kind = "citizens"

    @task
    def floor(self):
        self.client.get("/bench/floor/", name="floor")


class CitizenMix(_Base):
    kind = "citizens"

    @task(3)
    def start_page(self):
        self.client.get("/me/", name="/me/")

    @task(3)
    def plan(self):
        self.client.get(f"/me/enrolments/{self.me['enrolment']}/", name="/me/enrolments/[id]/")

    @task(3)
    def step(self):
        self.client.get(
            f"/me/enrolments/{self.me['enrolment']}/steps/{self.me['step']}/", name="/me/enrolments/[id]/steps/[key]/"
        )

    @task(1)
    def answer_questionnaire(self):
        """Start and submit a due PHQ-9, as whichever prepared citizen still has one due
        (each has a few, as in life; the pool lasts a run)."""
        someone = next((c for c in random.sample(PEOPLE["citizens"], len(PEOPLE["citizens"])) if c["sends"]), None)
        if someone is None:
            return
        send = someone["sends"].pop()
        self.client.cookies.clear()  # one session cookie at a time (the server's may carry a domain)
        self.client.cookies.set(PEOPLE["cookie_name"], someone["session"])
        try:
            token = self.csrf("/me/", "/me/")
            started = self.client.post(
                f"/me/questionnaires/send/{send}/start/",
                data={"csrfmiddlewaretoken": token},
                name="/me/questionnaires/send/[id]/start/",
            )
            found = re.search(r'name="client_token" value="([^"]+)"', started.text)
            if not found:
                return
            answers = {f"q-{link_id}": code for link_id, code in PEOPLE["phq9"].items()}
            self.client.post(
                started.url,
                data={
                    "csrfmiddlewaretoken": CSRF.search(started.text).group(1),
                    "client_token": found.group(1),
                    "action": "submit",
                    **answers,
                },
                name="/me/questionnaires/[id]/ (submit)",
            )
        finally:
            self.client.cookies.clear()
            self.client.cookies.set(PEOPLE["cookie_name"], self.me["session"])

    @task(1)
    def send_message(self):
        url = f"/me/messages/{self.me['thread']}/"
        token = self.csrf(url, "/me/messages/[id]/")
        self.client.post(
            url,
            data={"csrfmiddlewaretoken": token, "body": "Hej! En fråga om övningen.", "client_token": uuid.uuid4().hex},
            name="/me/messages/[id]/ (send)",
        )

    @task(1)
    def bookings(self):
        self.client.get("/me/bookings/", name="/me/bookings/")


class ClinicianMix(_Base):
    kind = "clinicians"

    @task(4)
    def dashboard(self):
        self.client.get(f"/clinic/{self.me['unit']}/?scope=unit", name="/clinic/[unit]/ (dashboard)")

    @task(2)
    def flags(self):
        self.client.get(f"/clinic/{self.me['unit']}/flags/", name="/clinic/[unit]/flags/")

    @task(2)
    def inbox(self):
        self.client.get(f"/clinic/{self.me['unit']}/inbox/", name="/clinic/[unit]/inbox/")

    @task(2)
    def enrolment(self):
        enrolment = random.choice(self.me["enrolments"])  # noqa: S311 - load, not security
        self.client.get(f"/clinic/{self.me['unit']}/enrolments/{enrolment}/", name="/clinic/[unit]/enrolments/[id]/")

    @task(1)
    def reply(self):
        thread = random.choice(self.me["threads"])  # noqa: S311
        url = f"/clinic/{self.me['unit']}/threads/{thread}/"
        token = self.csrf(url, "/clinic/[unit]/threads/[id]/")
        self.client.post(
            url,
            data={"csrfmiddlewaretoken": token, "body": "Tack, vi hörs.", "client_token": str(uuid.uuid4())},
            name="/clinic/[unit]/threads/[id]/ (reply)",
        )


class ApiMix(_Base):
    kind = "tokens"

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Bearer {self.me['token']}"

    @task(3)
    def programs(self):
        self.client.get("/api/v1/me/enrolments", name="/api/v1/me/enrolments")

    @task(2)
    def bookings(self):
        self.client.get("/api/v1/me/bookings", name="/api/v1/me/bookings")

    @task(2)
    def messages(self):
        self.client.get("/api/v1/me/threads", name="/api/v1/me/threads")

    @task(3)
    def observations(self):
        self.client.get(f"/fhir/Observation?patient={self.me['patient']}", name="/fhir/Observation?patient=")

    @task(1)
    def patient(self):
        self.client.get(f"/fhir/Patient/{self.me['patient']}", name="/fhir/Patient/[id]")


class BigUnit(_Base):
    """The dashboard and the inbox of a unit with thousands of patients (load.py --big-unit)."""

    kind = "big"

    @task(2)
    def dashboard(self):
        self.client.get(f"/clinic/{self.me['unit']}/?scope=unit", name="/clinic/[big unit]/ (dashboard)")

    @task(1)
    def inbox(self):
        self.client.get(f"/clinic/{self.me['unit']}/inbox/", name="/clinic/[big unit]/inbox/")
