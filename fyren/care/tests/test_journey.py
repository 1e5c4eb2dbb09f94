import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.care import journey_services as services
from fyren.care.journey import plan_for
from fyren.care.models import CareRelation, DiaryEntry, ElementAnswer, HiddenContent
from fyren.care.services import enrolment_end, enrolment_start
from fyren.programs import elements as k
from fyren.programs import services as program_services
from fyren.programs.models import Element, Module, Section, Step
from fyren.programs.tree import load_tree

ASSESSMENT = {"indication": "Insomnia", "reason": "Motivated, mild", "risk_considered": True}

pytestmark = pytest.mark.django_db
BOTH = {"sv": "Text", "en": "Text"}


@pytest.fixture
def journey(world, make):
    """Two modules in sequence. Module 1: a worksheet, a checklist, a measurement
    and a text shown only when the measurement is at least 10; a sleep diary.
    Module 2: one page."""
    designer = make.staff("designer", (Role.DESIGNER, world.unit))
    publisher = make.staff("publisher", (Role.PUBLISHER, world.unit))
    admin = make.staff("admin", (Role.CARE_PROVIDER_ADMIN, world.region))
    version = program_services.program_create(
        actor=designer, region=world.region, title="Sömn", kind="course", languages=["sv", "en"]
    )
    version.title, version.summary, version.target_group = BOTH, BOTH, BOTH
    version.indications, version.contact_info, version.unlock_rule = BOTH, BOTH, "sequence"
    version.save()
    steps = []
    for position in (1, 2):
        module = Module.objects.create(version=version, position=position, title=BOTH)
        section = Section.objects.create(version=version, module=module, position=1, title=BOTH)
        steps.append(Step.objects.create(version=version, section=section, position=1, title=BOTH))

    def add(kind, step=steps[0], condition=None, **content):
        return Element.objects.create(
            version=version,
            step=step,
            position=Element.objects.count() + 1,
            kind=kind,
            content={**k.empty_content(kind), **content},
            condition=condition,
        )

    world.sheet = add(
        k.EXERCISE, prompt=BOTH, mode="worksheet", fields=[{"key": "goal", "label": BOTH, "multiline": True}]
    )
    world.checklist = add(k.CHECKLIST, items=[{"key": "a", "label": BOTH}, {"key": "b", "label": BOTH}])
    world.measurement = add(k.MEASUREMENT, label=BOTH, unit="h", min=0, max=24)
    world.secret = add(
        k.TEXT,
        body={"sv": "Hemligt råd", "en": "Secret advice"},
        condition={"ref": world.measurement.short_key, "op": "ge", "value": 10},
    )
    world.diary = add(
        k.DIARY,
        title=BOTH,
        fields=[
            {"key": "hours", "label": BOTH, "type": "number", "min": 0, "max": 24},
            {"key": "bed", "label": BOTH, "type": "time"},
        ],
    )
    add(k.TEXT, step=steps[1], body=BOTH)
    program_services.version_submit(actor=designer, version=version)
    program_services.version_review(
        actor=publisher,
        version=version,
        checklist=dict.fromkeys(program_services.CHECKLIST, True),
        comment="",
        approve=True,
    )
    program_services.unit_program_set(actor=admin, program=version.program, unit=world.unit, active=True)
    world.steps = steps
    world.modules = list(Module.objects.filter(version=version))
    world.enrolment = enrolment_start(
        actor=world.clinician,
        citizen=world.patient,
        program_version=version,
        unit=world.unit,
        assessment=ASSESSMENT,
    )
    return world


def test_only_the_first_module_is_open_in_sequence(journey):
    plan = plan_for(journey.enrolment)
    assert [plan.states[str(m.key)] for m in journey.modules] == ["open", "locked"]
    assert plan.next_step.key == journey.steps[0].key


def test_completing_a_module_opens_the_next(journey):
    services.module_complete(actor=journey.patient.user, enrolment=journey.enrolment, module_key=journey.modules[0].key)
    plan = plan_for(journey.enrolment)
    assert [plan.states[str(m.key)] for m in journey.modules] == ["done", "open"]


def test_a_locked_module_cannot_be_worked_on(journey):
    with pytest.raises(PermissionDenied):
        services.module_complete(
            actor=journey.patient.user, enrolment=journey.enrolment, module_key=journey.modules[1].key
        )


def test_a_worksheet_is_a_draft_until_sent_and_cannot_change_after(journey):
    user = journey.patient.user
    services.element_answer_save(
        actor=user,
        enrolment=journey.enrolment,
        element=journey.sheet,
        raw={"fields": {"goal": "Sova sju timmar", "other": "ignored"}},
    )
    answer = ElementAnswer.objects.get()
    assert answer.status == "draft" and answer.value == {"fields": {"goal": "Sova sju timmar"}}
    services.element_answer_save(
        actor=user,
        enrolment=journey.enrolment,
        element=journey.sheet,
        raw={"fields": {"goal": "Sova sju timmar"}},
        send=True,
    )
    assert ElementAnswer.objects.get().status == "sent"
    services.element_answer_save(
        actor=user, enrolment=journey.enrolment, element=journey.sheet, raw={"fields": {"goal": "x"}}, send=True
    )  # a double send changes nothing
    assert ElementAnswer.objects.get().value == {"fields": {"goal": "Sova sju timmar"}}
    with pytest.raises(ValidationError):
        services.element_answer_save(
            actor=user, enrolment=journey.enrolment, element=journey.sheet, raw={"fields": {"goal": "changed"}}
        )


def test_sending_an_empty_exercise_is_refused(journey):
    with pytest.raises(ValidationError):
        services.element_answer_save(
            actor=journey.patient.user,
            enrolment=journey.enrolment,
            element=journey.sheet,
            raw={"fields": {"goal": "  "}},
            send=True,
        )


def test_measurements_are_checked_and_drive_presentation_logic(journey):
    user = journey.patient.user
    with pytest.raises(ValidationError):
        services.element_answer_save(
            actor=user, enrolment=journey.enrolment, element=journey.measurement, raw={"value": "25"}
        )
    step = next(s for s in plan_for(journey.enrolment).tree.steps() if s.key == journey.steps[0].key)
    assert journey.secret.key not in {e.key for e in plan_for(journey.enrolment).visible_elements(step)}
    services.element_answer_save(
        actor=user, enrolment=journey.enrolment, element=journey.measurement, raw={"value": "10,5"}
    )
    plan = plan_for(journey.enrolment)
    step = next(s for s in plan.tree.steps() if s.key == journey.steps[0].key)
    assert journey.secret.key in {e.key for e in plan.visible_elements(step)}


def test_checklists_keep_their_state(journey):
    services.element_answer_save(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.checklist,
        raw={"ticked": ["b", "nope"]},
    )
    assert ElementAnswer.objects.get().value == {"ticked": ["b"]}


def test_diary_entries_are_idempotent_typed_and_not_in_the_future(journey):
    user, token = journey.patient.user, uuid.uuid4()
    entry = services.diary_entry_add(
        actor=user,
        enrolment=journey.enrolment,
        element=journey.diary,
        day=dt.date.today(),
        raw={"hours": "7,5", "bed": "22:45"},
        client_token=token,
    )
    again = services.diary_entry_add(
        actor=user,
        enrolment=journey.enrolment,
        element=journey.diary,
        day=dt.date.today(),
        raw={"hours": "3"},
        client_token=token,
    )
    assert entry.pk == again.pk and DiaryEntry.objects.count() == 1 and entry.values == {"hours": 7.5, "bed": "22:45"}
    with pytest.raises(ValidationError):
        services.diary_entry_add(
            actor=user,
            enrolment=journey.enrolment,
            element=journey.diary,
            day=dt.date.today() + dt.timedelta(days=1),
            raw={"hours": "7"},
            client_token=uuid.uuid4(),
        )
    with pytest.raises(ValidationError):
        services.diary_entry_add(
            actor=user,
            enrolment=journey.enrolment,
            element=journey.diary,
            day=dt.date.today(),
            raw={"hours": "30"},
            client_token=uuid.uuid4(),
        )


def test_an_entry_can_be_changed_for_a_week(journey):
    entry = services.diary_entry_add(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.diary,
        day=dt.date.today(),
        raw={"hours": "7"},
        client_token=uuid.uuid4(),
    )
    services.diary_entry_update(actor=journey.patient.user, entry=entry, element=journey.diary, raw={"hours": "6"})
    DiaryEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - dt.timedelta(days=8))
    with pytest.raises(ValidationError):
        services.diary_entry_update(actor=journey.patient.user, entry=entry, element=journey.diary, raw={"hours": "5"})


def test_after_the_end_work_is_read_only(journey):
    enrolment_end(actor=journey.clinician, enrolment=journey.enrolment, completed=True)
    journey.enrolment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.element_answer_save(
            actor=journey.patient.user, enrolment=journey.enrolment, element=journey.checklist, raw={"ticked": ["a"]}
        )


def test_the_plan_and_a_step_through_the_pages(client, journey):
    login_citizen(client, journey.patient)
    assert f"/me/enrolments/{journey.enrolment.pk}/" in client.get("/me/").content.decode()
    plan = client.get(f"/me/enrolments/{journey.enrolment.pk}/").content.decode()
    assert f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/" in plan
    assert f"/steps/{journey.steps[1].key}/" not in plan  # module 2 is locked
    url = f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/"
    assert client.get(url).status_code == 200
    locked = client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[1].key}/")
    assert "Den här sidan är inte öppen för dig nu" in locked.content.decode()  # explained, not a 404
    client.post(
        f"/me/enrolments/{journey.enrolment.pk}/diary/{journey.diary.key}/",
        {"day": dt.date.today().isoformat(), "field-hours": "8", "client_token": str(uuid.uuid4())},
    )
    assert "<td>8</td>" in client.get(url).content.decode()
    response = client.post(
        f"/me/enrolments/{journey.enrolment.pk}/elements/{journey.measurement.key}/", {"value": "99"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="99"' in page  # what was typed is shown again with the message
    client.post(f"/me/enrolments/{journey.enrolment.pk}/modules/{journey.modules[0].key}/complete/")
    assert client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[1].key}/").status_code == 200


def test_another_citizen_and_staff_get_404(client, journey):
    urls = [
        f"/me/enrolments/{journey.enrolment.pk}/",
        f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/",
    ]
    posts = [
        f"/me/enrolments/{journey.enrolment.pk}/elements/{journey.checklist.key}/",
        f"/me/enrolments/{journey.enrolment.pk}/diary/{journey.diary.key}/",
        f"/me/enrolments/{journey.enrolment.pk}/modules/{journey.modules[0].key}/complete/",
    ]
    login_citizen(client, journey.stranger)
    assert all(client.get(u).status_code == 404 for u in urls)
    assert all(client.post(u, {}).status_code == 404 for u in posts)
    client.logout()
    force_login_staff(client, journey.clinician)
    assert all(client.get(u).status_code == 404 for u in urls)


def test_a_clinician_starts_a_program_only_with_an_assessment(client, journey):
    from fyren.care.models import Enrolment

    force_login_staff(client, journey.clinician)
    page = client.get(f"/clinic/{journey.unit.pk}/patients/{journey.stranger.pk}/")
    assert page.status_code == 404  # no care relation yet
    CareRelation.objects.create(citizen=journey.stranger, unit=journey.unit)
    url = f"/clinic/{journey.unit.pk}/patients/{journey.stranger.pk}/start/"
    version_id = journey.enrolment.program_version_id
    client.post(url, {"start-program_version": version_id, "start-indication": "Insomnia"})
    assert not Enrolment.objects.filter(citizen=journey.stranger).exists()
    client.post(
        url,
        {
            "start-program_version": version_id,
            "start-indication": "Insomnia",
            "start-reason": "Motivated",
            "start-risk_considered": "on",
        },
    )
    enrolment = Enrolment.objects.get(citizen=journey.stranger)
    assert enrolment.assessment["indication"] == "Insomnia" and enrolment.assessment["risk_considered"]
    assert list(enrolment.clinicians.all()) == [journey.clinician]


def test_the_same_program_cannot_run_twice(journey):
    with pytest.raises(ValidationError):
        enrolment_start(
            actor=journey.clinician,
            citizen=journey.patient,
            program_version=journey.enrolment.program_version,
            unit=journey.unit,
            assessment=ASSESSMENT,
        )


def test_an_outsider_cannot_start_a_program_here(client, journey):
    force_login_staff(client, journey.outsider)
    url = f"/clinic/{journey.unit.pk}/patients/{journey.patient.pk}/start/"
    assert client.post(url, {}).status_code == 404


def test_the_citizen_downloads_the_program_and_their_work_after_the_end(client, journey):
    services.element_answer_save(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.sheet,
        raw={"fields": {"goal": "Sova sju timmar"}},
    )
    enrolment_end(actor=journey.clinician, enrolment=journey.enrolment, completed=True)
    login_citizen(client, journey.patient)
    assert client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/").status_code == 200
    response = client.get(f"/me/enrolments/{journey.enrolment.pk}/download.html")
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    assert "Sova sju timmar" in html and "<style>" in html and "<script" not in html
    client.logout()
    login_citizen(client, journey.stranger)
    assert client.get(f"/me/enrolments/{journey.enrolment.pk}/download.html").status_code == 404


@pytest.mark.usefixtures("_demo")
def test_a_citizen_who_prefers_english_gets_the_english_version(client, journey):
    journey.patient.preferred_language = "en"
    journey.patient.save()
    client.post("/account/login/demo-eid/", {"user": journey.patient.user.pk})
    html = client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/").content.decode()
    assert '<html lang="en" dir="ltr">' in html and "My plan" in html


@pytest.mark.usefixtures("_demo")
def test_an_explicit_language_choice_wins_over_the_preference(client, journey):
    journey.patient.preferred_language = "en"
    journey.patient.save()
    client.post("/account/login/demo-eid/", {"user": journey.patient.user.pk})
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert '<html lang="sv" dir="ltr">' in client.get("/me/").content.decode()


@pytest.fixture
def _demo(settings):
    settings.DEMO = True


def test_retention_removes_own_work_long_after_the_end(journey, settings):
    from django.core.management import call_command
    from django.utils import timezone

    from fyren.care.models import Enrolment

    services.diary_entry_add(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.diary,
        day=dt.date.today(),
        raw={"hours": "7"},
        client_token=uuid.uuid4(),
    )
    enrolment_end(actor=journey.clinician, enrolment=journey.enrolment, completed=True)
    settings.FYREN_RETENTION_DAYS_AFTER_END = 10
    call_command("apply_retention")
    assert DiaryEntry.objects.count() == 1  # ended today: kept
    Enrolment.objects.filter(pk=journey.enrolment.pk).update(ended_at=timezone.now() - dt.timedelta(days=11))
    call_command("apply_retention")
    assert DiaryEntry.objects.count() == 0
    assert Enrolment.objects.get(pk=journey.enrolment.pk).purged_at is not None


def test_a_diary_entry_is_changed_through_its_page(client, journey):
    entry = services.diary_entry_add(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.diary,
        day=dt.date.today(),
        raw={"hours": "7"},
        client_token=uuid.uuid4(),
    )
    login_citizen(client, journey.patient)
    step = client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/").content.decode()
    url = f"/me/enrolments/{journey.enrolment.pk}/diary/entries/{entry.pk}/"
    assert url in step
    response = client.post(url, {"field-hours": "99"})
    assert response.status_code == 400 and 'value="99"' in response.content.decode()
    client.post(url, {"field-hours": "6"})
    entry.refresh_from_db()
    assert entry.values == {"hours": 6}
    client.logout()
    login_citizen(client, journey.stranger)
    assert client.get(url).status_code == 404


def test_the_clinician_sees_who_acted_and_gives_feedback_that_is_notified(
    client, journey, make, django_capture_on_commit_callbacks
):
    from django.core import mail

    journey.patient.email, journey.patient.notify_email = "pia@example.org", True
    journey.patient.save()
    guardian = make.citizen("Gerd", "Guardian", birth=dt.date(1960, 1, 1))
    # The patient is an adult, so a proxy (ombud) acts for her.
    from fyren.people.services import proxy_authorisation_create

    proxy_authorisation_create(
        actor=None,
        proxy=guardian,
        principal=journey.patient,
        valid_from=dt.date.today(),
        valid_to=dt.date.today() + dt.timedelta(days=30),
    )
    services.element_answer_save(
        actor=guardian.user,
        enrolment=journey.enrolment,
        element=journey.sheet,
        raw={"fields": {"goal": "Sova bättre"}},
        send=True,
    )
    force_login_staff(client, journey.clinician)
    page = client.get(f"/clinic/{journey.unit.pk}/patients/{journey.patient.pk}/").content.decode()
    assert "Gerd Guardian" in page and "Sova bättre" in page
    answer = ElementAnswer.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/clinic/{journey.unit.pk}/exercises/{answer.pk}/feedback/", {"feedback": "Bra mål!"})
    answer.refresh_from_db()
    assert answer.feedback == "Bra mål!" and answer.feedback_by == journey.clinician
    assert len(mail.outbox) == 1 and "Bra mål" not in mail.outbox[0].body
    client.logout()
    login_citizen(client, journey.patient)
    step = client.get(f"/me/enrolments/{journey.enrolment.pk}/steps/{journey.steps[0].key}/").content.decode()
    assert "Bra mål!" in step


def test_an_outsider_cannot_give_feedback(client, journey):
    services.element_answer_save(
        actor=journey.patient.user,
        enrolment=journey.enrolment,
        element=journey.sheet,
        raw={"fields": {"goal": "x"}},
        send=True,
    )
    answer = ElementAnswer.objects.get()
    force_login_staff(client, journey.outsider)
    assert (
        client.post(f"/clinic/{journey.unit.pk}/exercises/{answer.pk}/feedback/", {"feedback": "x"}).status_code == 404
    )
    assert (
        client.post(f"/clinic/{journey.other_unit.pk}/exercises/{answer.pk}/feedback/", {"feedback": "x"}).status_code
        == 404
    )


def test_a_plan_leaves_out_what_is_hidden_without_changing_the_tree_it_was_given(journey):
    tree = load_tree(journey.enrolment.program_version)
    first, second = tree.modules
    hidden_section = first.section_list[0]
    HiddenContent.objects.create(enrolment=journey.enrolment, key=hidden_section.key)
    HiddenContent.objects.create(enrolment=journey.enrolment, key=second.key)
    plan = plan_for(journey.enrolment, tree=tree)
    assert [m.key for m in plan.tree.modules] == [first.key]
    assert plan.tree.modules[0].section_list == []
    assert tree.modules == [first, second] and first.section_list == [hidden_section]  # the caller's tree is whole
