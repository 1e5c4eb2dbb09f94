"""The citizen's endpoints (a mobile app): the programs and their next step, a
step's content, answering exercises, diaries and questionnaires, messages, visits
and the patient contract. Each reads through the selector the pages use and
writes through the same service, with the same rules (a step not open is 404;
a double submit with the same ``client_token`` stores one answer)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, File, Form, Schema, Status
from ninja.files import UploadedFile

from fyren.booking import services as booking_services
from fyren.booking.selectors import booking_for_citizen_user_or_404, rebookable, rebookable_slots, web_bookable_slots
from fyren.care import journey_services
from fyren.care.journey import enrolment_for_user_or_404, enrolments_for_user, plan_for
from fyren.care.models import DiaryEntry, ElementAnswer
from fyren.careplans import services as plan_services
from fyren.careplans.selectors import contract_for_citizen_user_or_404
from fyren.instruments.definitions import definition_for
from fyren.messaging import services as message_services
from fyren.messaging.selectors import (
    attachment_in_thread_or_404,
    thread_for_citizen_user_or_404,
    threads_for_citizen_user,
)
from fyren.messaging.views import serve_attachment
from fyren.people.selectors import citizen_of_user, citizens_of_user
from fyren.programs.models import text_in
from fyren.questionnaires import services as questionnaire_services
from fyren.questionnaires.models import Response
from fyren.questionnaires.selectors import due_sends_for, send_for_citizen_or_404

from .api import api, needs

PATIENT_PLAN = "patient/CarePlan.rs"
PATIENT_ANSWERS = "patient/QuestionnaireResponse.rs"
PATIENT_MESSAGES = "patient/Communication.rs"
PATIENT_VISITS = "patient/Appointment.rs"


def _me(request):
    citizen = citizen_of_user(request.user)
    if citizen is None:
        raise Http404
    return citizen


def _text(value, languages=(), fallback="") -> str:
    return text_in(value, languages, get_language()) if value else fallback


# --- programs ---------------------------------------------------------------------------------


class StepRef(Schema):
    key: str
    title: str


class EnrolmentOut(Schema):
    id: int
    program: str
    unit: str
    status: str
    started_at: dt.datetime
    progress_percent: int
    next_step: StepRef | None


class ModuleOut(Schema):
    key: str
    title: str
    state: str
    steps: list[StepRef]


class PlanOut(Schema):
    enrolment: EnrolmentOut
    modules: list[ModuleOut]


class ElementOut(Schema):
    key: str
    kind: str
    content: dict
    answer: dict | None = None
    answer_status: str | None = None
    entries: list[dict] = []


class StepOut(Schema):
    key: str
    title: str
    module: str
    elements: list[ElementOut]


def _step_ref(step, languages) -> StepRef:
    return StepRef(key=str(step.key), title=_text(step.title, languages))


def _enrolment_out(enrolment, the_plan) -> EnrolmentOut:
    languages = enrolment.program_version.languages
    return EnrolmentOut(
        id=enrolment.pk,
        program=_text(enrolment.program_version.title, languages),
        unit=enrolment.unit.name,
        status=enrolment.status,
        started_at=enrolment.started_at,
        progress_percent=the_plan.progress_percent,
        next_step=_step_ref(the_plan.next_step, languages) if the_plan.next_step else None,
    )


@api.get("/me/enrolments", response=list[EnrolmentOut], tags=["citizen"], summary="My programs and their next step")
@needs(PATIENT_PLAN)
def my_enrolments(request):
    _me(request)
    return [_enrolment_out(e, plan_for(e)) for e in enrolments_for_user(request.user)]


@api.get("/me/enrolments/{enrolment_id}", response=PlanOut, tags=["citizen"], summary="My plan in a program")
@needs(PATIENT_PLAN)
def my_plan(request, enrolment_id: int):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    languages = enrolment.program_version.languages
    modules = [
        ModuleOut(
            key=str(module.key),
            title=_text(module.title, languages),
            state=state,
            steps=[_step_ref(s, languages) for s in steps],
        )
        for module, state, steps in the_plan.modules_with_steps()
    ]
    return PlanOut(enrolment=_enrolment_out(enrolment, the_plan), modules=modules)


@api.get(
    "/me/enrolments/{enrolment_id}/steps/{step_key}",
    response=StepOut,
    tags=["citizen"],
    summary="A step's content, with my answers",
)
@needs(PATIENT_PLAN)
def my_step(request, enrolment_id: int, step_key: str):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    the_plan = plan_for(enrolment)
    current = the_plan.open_step_or_404(step_key)
    shown = the_plan.visible_elements(current)
    answers = {a.element_key: a for a in ElementAnswer.objects.filter(enrolment=enrolment)}
    entries: dict = {}
    for entry in DiaryEntry.objects.filter(enrolment=enrolment, element_key__in=[e.key for e in shown]):
        entries.setdefault(entry.element_key, []).append({"id": entry.pk, "day": entry.day, "values": entry.values})
    languages = enrolment.program_version.languages
    return StepOut(
        key=str(current.key),
        title=_text(current.title, languages),
        module=_text(current.section.module.title, languages),
        elements=[
            ElementOut(
                key=str(e.key),
                kind=e.kind,
                content=e.content,
                answer=answers[e.key].value if e.key in answers else None,
                answer_status=answers[e.key].status if e.key in answers else None,
                entries=entries.get(e.key, []),
            )
            for e in shown
        ],
    )


class ExerciseIn(Schema):
    text: str = ""
    value: str = ""
    ticked: list[str] = []
    fields: dict[str, str] = {}
    send: bool = Field(False, description="Send to the clinician (otherwise saved as a draft)")


class AnswerOut(Schema):
    element: str
    status: str
    value: dict
    sent_at: dt.datetime | None


@api.put(
    "/me/enrolments/{enrolment_id}/elements/{element_key}/answer",
    response=AnswerOut,
    tags=["citizen"],
    summary="Save or send my answer to an exercise or checklist",
)
@needs(PATIENT_PLAN)
def my_exercise_answer(request, enrolment_id: int, element_key: str, payload: ExerciseIn):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    element = plan_for(enrolment).open_element_or_404(element_key)
    raw = payload.dict(exclude={"send"})
    answer = journey_services.element_answer_save(
        actor=request.user, enrolment=enrolment, element=element, raw=raw, send=payload.send
    )
    return AnswerOut(element=str(element.key), status=answer.status, value=answer.value, sent_at=answer.sent_at)


class DiaryIn(Schema):
    day: dt.date | None = None
    values: dict[str, str]
    client_token: uuid.UUID


class DiaryOut(Schema):
    id: int
    day: dt.date
    values: dict


@api.post(
    "/me/enrolments/{enrolment_id}/elements/{element_key}/entries",
    response={201: DiaryOut},
    tags=["citizen"],
    summary="Add a diary entry or measurement (idempotent on client_token)",
)
@needs(PATIENT_PLAN)
def my_diary_entry(request, enrolment_id: int, element_key: str, payload: DiaryIn):
    enrolment = enrolment_for_user_or_404(request.user, enrolment_id)
    element = plan_for(enrolment).open_element_or_404(element_key)
    entry = journey_services.diary_entry_add(
        actor=request.user,
        enrolment=enrolment,
        element=element,
        day=payload.day or timezone.localdate(),
        raw=payload.values,
        client_token=payload.client_token,
    )
    return Status(201, DiaryOut(id=entry.pk, day=entry.day, values=entry.values))


# --- questionnaires ---------------------------------------------------------------------------


class DueOut(Schema):
    send_id: int
    instrument: str
    name: str
    due_on: dt.date
    enrolment_id: int


class QuestionnaireOut(Schema):
    send_id: int
    instrument: str
    definition: dict = Field(description="The questions as Fyren defines them (items, options, conditions)")


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="link_id → value (a list for multiple choice)")


class ResponseOut(Schema):
    id: int
    status: str
    submitted_at: dt.datetime | None


@api.get("/me/questionnaires", response=list[DueOut], tags=["citizen"], summary="Questionnaires due now")
@needs(PATIENT_ANSWERS)
def my_due(request):
    out = []
    for send in due_sends_for(_me(request)):
        definition = definition_for(send.instrument_code, region=send.enrolment.program_version.program.owner)
        name = _text(definition.get("name"), definition.get("languages", ()), send.instrument_code)
        out.append(
            DueOut(
                send_id=send.pk,
                instrument=send.instrument_code,
                name=name,
                due_on=send.due_on,
                enrolment_id=send.enrolment_id,
            )
        )
    return out


def _response_for_send(request, send_id: int) -> Response:
    citizen = _me(request)
    send = send_for_citizen_or_404(citizen, send_id)
    return questionnaire_services.response_start(
        actor=request.user,
        citizen=citizen,
        instrument_code=send.instrument_code,
        language=get_language() or "sv",
        enrolment=send.enrolment,
        send=send,
    )


@api.get("/me/questionnaires/{send_id}", response=QuestionnaireOut, tags=["citizen"], summary="A due questionnaire")
@needs(PATIENT_ANSWERS)
def my_questionnaire(request, send_id: int):
    response = _response_for_send(request, send_id)
    return QuestionnaireOut(send_id=send_id, instrument=response.instrument_code, definition=response.definition)


@api.post(
    "/me/questionnaires/{send_id}/response",
    response=ResponseOut,
    tags=["citizen"],
    summary="Answer a due questionnaire (once: a repeat returns the first answer)",
)
@needs(PATIENT_ANSWERS)
def my_questionnaire_answer(request, send_id: int, payload: AnswersIn):
    citizen = _me(request)
    done = Response.objects.filter(send_id=send_id, citizen=citizen, status=Response.Status.COMPLETED).first()
    if done is not None:  # a retry after the answer went through: the same answer, nothing new
        return ResponseOut(id=done.pk, status=done.status, submitted_at=done.submitted_at)
    response = _response_for_send(request, send_id)
    raw = {key: value if isinstance(value, list) else str(value) for key, value in payload.answers.items()}
    response = questionnaire_services.response_submit(
        actor=request.user, client_token=response.client_token, raw=raw, response=response
    )
    return ResponseOut(id=response.pk, status=response.status, submitted_at=response.submitted_at)


# --- messages ---------------------------------------------------------------------------------


class ThreadOut(Schema):
    id: int
    unit: str
    subject: str
    unread: int
    last_message_at: dt.datetime | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int


class MessageOut(Schema):
    id: int
    from_me: bool
    sender: str
    body: str
    sent_at: dt.datetime | None
    read_at: dt.datetime | None
    attachments: list[AttachmentOut]


def _message_out(message, unit_name: str) -> MessageOut:
    return MessageOut(
        id=message.pk,
        from_me=message.from_citizen,
        sender=(message.sender.display_name if message.sender else unit_name)
        if not message.from_citizen
        else (message.sender.get_full_name() if message.sender else ""),
        body=message.body,
        sent_at=message.sent_at,
        read_at=message.read_at,
        attachments=[AttachmentOut(id=a.pk, name=a.filename, size=a.size) for a in message.attachments.all()],
    )


@api.get("/me/threads", response=list[ThreadOut], tags=["citizen"], summary="My conversations with care units")
@needs(PATIENT_MESSAGES)
def my_threads(request):
    return [
        ThreadOut(
            id=t.pk,
            unit=t.unit.name,
            subject=t.subject or (_text(t.enrolment.program_version.title) if t.enrolment else ""),
            unread=t.unread,
            last_message_at=t.last_message_at,
        )
        for t in threads_for_citizen_user(request.user)
    ]


@api.get(
    "/me/threads/{thread_id}/messages",
    response=list[MessageOut],
    tags=["citizen"],
    summary="The messages of a conversation (marks the team's as read)",
)
@needs(PATIENT_MESSAGES)
def my_messages(request, thread_id: int):
    thread = thread_for_citizen_user_or_404(request.user, thread_id)
    message_services.thread_mark_read(actor=request.user, thread=thread, from_citizen=True)
    return [_message_out(m, thread.unit.name) for m in thread.sent]  # type: ignore[attr-defined]


class MessageIn(Schema):
    body: str
    client_token: uuid.UUID


@api.post(
    "/me/threads/{thread_id}/messages",
    response={201: MessageOut},
    tags=["citizen"],
    summary="Send a message, with files as multipart (idempotent on client_token)",
)
@needs(PATIENT_MESSAGES)
def my_message_send(request, thread_id: int, payload: Form[MessageIn], files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    thread = thread_for_citizen_user_or_404(request.user, thread_id, messages=False)
    message = message_services.message_send(
        actor=request.user,
        thread=thread,
        body=payload.body,
        from_citizen=True,
        client_token=payload.client_token,
        files=files or (),
    )
    return Status(201, _message_out(message, thread.unit.name))


@api.get(
    "/me/threads/{thread_id}/attachments/{attachment_id}",
    tags=["citizen"],
    summary="Download an attachment",
    response={200: None},
)
@needs(PATIENT_MESSAGES)
def my_attachment(request, thread_id: int, attachment_id: int):
    thread = thread_for_citizen_user_or_404(request.user, thread_id, messages=False)
    return serve_attachment(attachment_in_thread_or_404(thread, attachment_id))


# --- visits -----------------------------------------------------------------------------------


class SlotOut(Schema):
    id: int
    unit: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    visit_kind: str


class BookingActionOut(Schema):
    id: int
    status: str
    starts_at: dt.datetime


class ReasonIn(Schema):
    reason: str = ""


class RebookIn(Schema):
    slot_id: int
    reason: str = ""


def _booking_out(booking) -> BookingActionOut:
    return BookingActionOut(id=booking.pk, status=booking.status, starts_at=booking.slot.starts_at)


def _slot_out(s) -> SlotOut:
    return SlotOut(
        id=s.pk, unit=s.schedule.unit.name, starts_at=s.starts_at, ends_at=s.ends_at, visit_kind=s.visit_kind
    )


@api.get("/me/bookable-times", response=list[SlotOut], tags=["citizen"], summary="Times I may book")
@needs(PATIENT_VISITS)
def my_bookable(request):
    return [_slot_out(s) for citizen in citizens_of_user(request.user) for s in web_bookable_slots(citizen)]


@api.get(
    "/me/bookings/{booking_id}/times",
    response=list[SlotOut],
    tags=["citizen"],
    summary="Times I may move this visit to (same unit, schedule and kind)",
)
@needs(PATIENT_VISITS)
def my_booking_times(request, booking_id: int):
    booking = booking_for_citizen_user_or_404(request.user, booking_id)
    return [_slot_out(s) for s in rebookable_slots(booking)] if booking.status == "booked" else []


@api.post("/me/bookings/{booking_id}/accept", response=BookingActionOut, tags=["citizen"], summary="Take an offer")
@needs(PATIENT_VISITS)
def my_offer_accept(request, booking_id: int):
    booking = booking_for_citizen_user_or_404(request.user, booking_id)
    return _booking_out(booking_services.offer_accept(actor=request.user, booking=booking))


@api.post("/me/bookings/{booking_id}/decline", response={204: None}, tags=["citizen"], summary="Decline an offer")
@needs(PATIENT_VISITS)
def my_offer_decline(request, booking_id: int, payload: ReasonIn):
    booking = booking_for_citizen_user_or_404(request.user, booking_id)
    booking_services.offer_decline(actor=request.user, booking=booking, reason=payload.reason)
    return Status(204, None)


@api.post(
    "/me/bookings/{booking_id}/cancel",
    response=BookingActionOut,
    tags=["citizen"],
    summary="Cancel a visit (until the unit's deadline)",
)
@needs(PATIENT_VISITS)
def my_booking_cancel(request, booking_id: int, payload: ReasonIn):
    booking = booking_for_citizen_user_or_404(request.user, booking_id)
    return _booking_out(booking_services.booking_cancel(actor=request.user, booking=booking, reason=payload.reason))


@api.post(
    "/me/bookings/{booking_id}/rebook",
    response=BookingActionOut,
    tags=["citizen"],
    summary="Move a visit to another bookable time",
)
@needs(PATIENT_VISITS)
def my_booking_rebook(request, booking_id: int, payload: RebookIn):
    booking = booking_for_citizen_user_or_404(request.user, booking_id)
    slot = rebookable(booking).filter(pk=payload.slot_id).select_related("schedule__unit").first()
    if slot is None:
        raise Http404
    moved = booking_services.booking_rebook(actor=request.user, booking=booking, slot=slot, reason=payload.reason)
    return _booking_out(moved)


# --- the patient contract ---------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    text: str
    status: str
    unit: str


class ActivityOut(Schema):
    id: int
    what: str
    who: str
    status: str
    starts_on: dt.date | None


class ContractPlanOut(Schema):
    id: int
    kind: str
    title: str
    unit: str


class ContractOut(Schema):
    units: list[UnitOut]
    revision: int
    agreed: bool
    priorities: str
    goals: list[GoalOut]
    activities: list[ActivityOut]
    plans: list[ContractPlanOut]


class CommentIn(Schema):
    text: str
    client_token: uuid.UUID
    unit_id: int | None = Field(None, description="The unit to write to (default: the only one taking part)")
    goal_id: int | None = None
    activity_id: int | None = None


class UnitOut(Schema):
    id: int
    name: str


class AgreeIn(Schema):
    revision: int


def _contract(request):
    return contract_for_citizen_user_or_404(request.user, _me(request).pk)


@api.get("/me/plan", response=ContractOut, tags=["citizen"], summary="My care plan (the patient contract)")
@needs(PATIENT_PLAN)
def my_contract(request):
    contract = _contract(request)
    return ContractOut(
        units=[UnitOut(id=p.unit_id, name=p.unit.name) for p in contract.participant_list],
        revision=contract.revision,
        agreed=contract.agreed,
        priorities=contract.priorities,
        goals=[GoalOut(id=g.pk, text=g.text, status=g.status, unit=g.unit.name) for g in contract.goal_list],
        activities=[
            ActivityOut(
                id=a.pk,
                what=a.what,
                who=a.who_person.get_full_name() if a.who_person else a.who_role,
                status=a.status,
                starts_on=a.starts_on,
            )
            for a in contract.activity_list
        ],
        plans=[ContractPlanOut(id=p.pk, kind=p.kind, title=p.title, unit=p.unit.name) for p in contract.plan_list],
    )


@api.post("/me/plan/comments", response={201: None}, tags=["citizen"], summary="Comment on my care plan")
@needs(PATIENT_PLAN)
def my_contract_comment(request, payload: CommentIn):
    contract = _contract(request)
    units = {p.unit_id: p.unit for p in contract.participant_list}
    goal = next((g for g in contract.goal_list if g.pk == payload.goal_id), None)
    activity = next((a for a in contract.activity_list if a.pk == payload.activity_id), None)
    if (payload.goal_id and goal is None) or (payload.activity_id and activity is None):
        raise Http404
    unit = units.get(payload.unit_id) if payload.unit_id else (next(iter(units.values())) if len(units) == 1 else None)
    plan_services.comment_add(
        actor=request.user,
        contract=contract,
        text=payload.text,
        client_token=payload.client_token,
        goal=goal,
        activity=activity,
        unit=unit,
    )
    return Status(201, None)


@api.post("/me/plan/agree", response={204: None}, tags=["citizen"], summary="Agree to this revision of my plan")
@needs(PATIENT_PLAN)
def my_contract_agree(request, payload: AgreeIn):
    plan_services.contract_agree(actor=request.user, contract=_contract(request), number=payload.revision)
    return Status(204, None)
