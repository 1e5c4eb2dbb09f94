"""Every form of every role, found from the URL configuration and the pages
themselves, gets hostile input: NUL characters, a megabyte of text, invalid
UTF-8, wrong types, repeated fields, dates out of range, negative and huge
numbers, missing tokens. No answer may be a server error, and a refusal (4xx)
changes nothing in the database (drafts excepted: keeping what was typed is a
promise). Bounded: a fixed set of payloads per form plus a few drawn by
hypothesis with a fixed budget."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.booking import feed_services, schedule_services
from fyren.booking import services as booking_services
from fyren.booking.guarantee_services import guarantee_register
from fyren.care.models import DiaryEntry, ElementAnswer
from fyren.careplans import services as careplan_services
from fyren.episodes import services as episode_services
from fyren.episodes.models import CareRequest, Episode
from fyren.flags import services as flag_services
from fyren.journal import services as journal
from fyren.messaging import services as messaging
from fyren.programs.models import Element, ProgramVersion, Step, UnitProgram
from fyren.programs.services import program_create, version_submit
from fyren.programs.tests.conftest import fill_for_publishing
from fyren.questionnaires.services import response_start
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]

SKIP_PREFIXES = ("/django-admin/", "/account/oidc", "/i18n/", "/health/")  # /health/: 503 without a worker
SKIP_ACTIONS = ("/account/logout/",)
# Rows a refusal may write: drafts keep what was typed; logs record the attempt.
VOLATILE = {
    "audit.accesslogentry",
    "audit.accessloghead",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_db.dbtaskresult",
}
DRAFT_FILTERS = {"messaging.message": {"status": "sent"}, "questionnaires.response": {"status": "completed"}}

HOSTILE = [
    "\x00",
    "x" * 1_000_000,
    "-1",
    "-99999999999999999999",
    "1e309",
    "99999999999999999999999999",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2001-01-01",  # within every date field, before anything began
    (dt.date.today() + dt.timedelta(days=1100)).isoformat(),  # within the fields, beyond what services take
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\ud7ff\ufffe",
    "",
    " ",
    "not-a-uuid",
    str(uuid.uuid4()),
]


def _patterns(resolvers=None, prefix=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), list(entry.pattern.converters)


class Forms(HTMLParser):
    """The POST forms of a page: action and the names of their fields, with the
    values the page filled in."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {
                "action": attrs.get("action") or "",
                "fields": [],
                "multipart": "multipart" in (attrs.get("enctype") or ""),
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self._current["fields"].append((attrs["name"], attrs.get("value") or "", attrs.get("type") or tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _snapshot() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE:
            continue
        rows = model._default_manager.filter(**DRAFT_FILTERS.get(label, {})).order_by("pk").values_list()
        digest.update(label.encode())
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def fuzz_world(enrolled, make, tmp_path, settings):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = enrolled
    w.enrolment_admin = make.staff("enroladmin", (Role.ENROLMENT_ADMIN, w.unit))
    w.designer = make.staff("fuzzdesigner", (Role.DESIGNER, w.unit))
    w.publisher = make.staff("fuzzpublisher", (Role.PUBLISHER, w.unit))
    thread = messaging.thread_for_enrolment(w.enrolment)
    messaging.message_send(actor=w.patient.user, thread=thread, body="Jag vill inte leva", from_citizen=True)
    draft = program_create(actor=w.designer, region=w.region, title="Fuzz", kind="course", languages=["sv", "en"])
    draft_step = fill_for_publishing(draft)
    in_review = program_create(actor=w.designer, region=w.region, title="Granska", kind="course", languages=["sv"])
    fill_for_publishing(in_review)
    version_submit(actor=w.designer, version=in_review)
    UnitProgram.objects.filter(program=w.version.program).update(self_enrolment=True)
    step = Step.objects.filter(version=w.version).first()
    element = Element.objects.filter(version=w.version).first()
    response = response_start(
        actor=w.patient.user,
        citizen=w.patient,
        instrument_code="phq9",
        language="sv",
        enrolment=w.enrolment,
        send=w.send,
    )
    today = w.enrolment.started_at.date()
    # Care episodes and a patient contract (the pages a clinician and the citizen fill in).
    third = make.unit(w.region, "F3", "Fuzz unit")
    pathway = episode_services.pathway_save(actor=w.provider_admin, region=w.region, name="SVF", area="anxiety")
    contract = careplan_services.contract_start(actor=w.clinician, unit=w.unit, citizen=w.patient)
    invitation = careplan_services.contract_invite(
        actor=w.clinician, contract=contract, unit=w.unit, invited_unit=third
    )
    incoming = CareRequest.objects.create(
        citizen=w.patient,
        from_unit=third,
        to_unit=w.unit,
        reason="KBT",
        decided_to_send_at=timezone.now(),
        episode=Episode.objects.create(citizen=w.patient, unit=w.unit, status=Episode.Status.REQUESTED),
        client_token=uuid.uuid4(),
    )
    schedule = schedule_services.schedule_save(actor=w.clinician, unit=w.unit, kind="room", title="Rum")
    times = [
        schedule_services.slot_add(
            actor=w.clinician,
            schedule=schedule,
            starts_at=timezone.now() + dt.timedelta(days=3, hours=n),
            minutes=30,
            visit_kind="at_unit",
            audience="listed",
        )
        for n in range(3)
    ]
    visit = booking_services.booking_make(actor=w.clinician, citizen=w.patient, slot=times[0])
    booking_services.times_offer(actor=w.clinician, citizen=w.patient, slots=times[1:2])
    w.values = {
        "booking_id": visit.pk,
        "case_id": guarantee_register(actor=w.clinician, citizen=w.patient, unit=w.unit, level="primary").pk,
        "token": feed_services.calendar_feed_create(actor=w.patient.user).token,
        "episode_id": Episode.objects.filter(unit=w.unit, citizen=w.patient, status="open").first().pk,
        "request_id": incoming.pk,
        "contract_id": contract.pk,
        "participant_id": invitation.pk,
        "pathway_id": pathway.pk,
        "unit_id": w.unit.pk,
        "citizen_id": w.patient.pk,
        "enrolment_id": w.enrolment.pk,
        "send_id": w.send.pk,
        "answer_id": ElementAnswer.objects.create(enrolment=w.enrolment, element_key=element.key, status="sent").pk,
        "thread_id": thread.pk,
        "flag_id": w.enrolment.flags.first().pk,
        "absence_id": flag_services.absence_add(actor=w.clinician, user=w.clinician, unit=w.unit, starts_on=today).pk,
        "export_id": journal.journal_export_record(
            actor=w.clinician, enrolment=w.enrolment, start=today, end=today, lang="sv"
        ).pk,
        "version_id": draft.pk,
        "program_id": w.version.program_id,
        "step_id": draft_step.pk,
        "element_id": Element.objects.filter(step=draft_step).first().pk,
        "response_id": response.pk,
        "offer_id": UnitProgram.objects.get(program=w.version.program, unit=w.unit).pk,
        "step_key": step.key,
        "element_key": element.key,
        "module_key": step.section.module.key,
        "code": "phq9",
        "entry_id": DiaryEntry.objects.create(
            enrolment=w.enrolment, element_key=element.key, day=today, values={}, client_token=uuid.uuid4()
        ).pk,
    }
    assert ProgramVersion.objects.filter(pk=draft.pk, status="draft").exists()
    w.role_values = {"publisher": {"version_id": in_review.pk}}
    return w


ROLES = [
    "patient",
    "clinician",
    "enrolment_admin",
    "designer",
    "publisher",
    "provider_admin",
    "access_admin",
    "log_reviewer",
]


def _login(client, w, role):
    if role == "patient":
        login_citizen(client, w.patient)
    else:
        force_login_staff(client, getattr(w, role))


def _urls(values):
    for pattern, names in _patterns():
        if pattern.startswith(tuple(p.lstrip("/") for p in SKIP_PREFIXES)) or any(n not in values for n in names):
            continue
        path = "/" + pattern
        for name in names:
            for conv in ("int", "uuid", "slug", "str", "path"):
                path = path.replace(f"<{conv}:{name}>", str(values[name]))
            path = path.replace(f"<{name}>", str(values[name]))
        if "<" not in path and "^" not in path:
            yield path


def _forms(client, w, role):
    found = {}
    for url in _urls({**w.values, **w.role_values.get(role, {})}):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = form["action"] or url
            if urlsplit(action).netloc or action.startswith(SKIP_ACTIONS):
                continue
            key = (action, tuple(sorted(name for name, _v, _t in form["fields"])))
            found.setdefault(key, {**form, "action": action, "page": url})
    return list(found.values())


def _payloads(form, drawn):
    names = [name for name, _value, kind in form["fields"] if kind not in ("submit", "button", "file")]
    filled = {name: value for name, value, _kind in form["fields"]}
    yield "nul", dict.fromkeys(names, "\x00") or {"x": "\x00"}
    if names:
        yield "megabyte", {**filled, names[0]: "x" * 1_000_000}
    yield "wrong types", {name: HOSTILE[(i * 7) % len(HOSTILE)] for i, name in enumerate(names)}
    yield "repeated", [(name, v) for name in names for v in ("1", "2")]
    yield "no tokens", {n: v for n, v in filled.items() if "token" not in n}
    yield "drawn", {name: drawn[i % len(drawn)] for i, name in enumerate(names)}


def _post(client, action, data):
    if isinstance(data, list):
        body = "&".join(f"{quote(k)}={quote(v)}" for k, v in data)
        return client.generic("POST", action, body, content_type="application/x-www-form-urlencoded")
    return client.post(action, data)


def _check(client, form, label, data):
    before = _snapshot()
    response = _post(client, form["action"], data)
    assert response.status_code < 500, (form["page"], form["action"], label, response.status_code)
    if 400 <= response.status_code < 500:
        assert _snapshot() == before, (form["page"], form["action"], label, "changed the database on a refusal")


@pytest.mark.parametrize("role", ROLES)
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(drawn=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50)), min_size=1, max_size=5))
def test_no_form_of_any_role_breaks_on_hostile_input(client, fuzz_world, role, drawn):
    _login(client, fuzz_world, role)
    forms = _forms(client, fuzz_world, role)
    assert forms or role in ("publisher", "log_reviewer"), f"{role} found no forms"
    for form in forms:
        _login(client, fuzz_world, role)
        for label, data in _payloads(form, drawn):
            _check(client, form, label, data)
        # Bytes that are not UTF-8 at all.
        names = [n for n, _v, _k in form["fields"]] or ["x"]
        body = "&".join(f"{quote(n)}=%FF%FE%C3%28" for n in names)
        response = client.generic("POST", form["action"], body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (form["action"], "invalid utf-8")
