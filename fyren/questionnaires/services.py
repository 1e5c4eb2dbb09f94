"""Writes about questionnaire answers and sends."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.audit.models import AccessLogEntry
from fyren.care.models import Enrolment
from fyren.care.permissions import clinician_access_record
from fyren.flags.models import Flag
from fyren.flags.services import flag_raise
from fyren.instruments.alerts import evaluate_alerts
from fyren.instruments.answers import clean_answers
from fyren.instruments.definitions import definition_for
from fyren.instruments.scoring import score
from fyren.lib.ranges import date_in_range, years_from
from fyren.lib.signals import enrolment_changed
from fyren.programs import elements
from fyren.programs.models import Element

from .models import Response, ScheduledSend
from .schedule import sends_at_end, sends_at_start


class IncompleteAnswers(ValidationError):
    """Some answers are malformed (``errors``: link_id → message) or required
    questions are unanswered (``missing``); what was typed has been kept."""

    def __init__(self, *, errors: dict, missing: list):
        super().__init__(_("Some questions need an answer."))
        self.errors, self.missing = errors, missing


def response_start(
    *,
    actor,
    citizen,
    instrument_code: str,
    language: str,
    enrolment=None,
    send: ScheduledSend | None = None,
    screening_for=None,
) -> Response:
    """A draft to answer (or the draft already started for the same send)."""
    with transaction.atomic():
        if send is not None:
            existing = Response.objects.select_for_update().filter(send=send).first()
            if existing is not None:
                return existing
        region = enrolment.program_version.program.owner if enrolment is not None else None
        if screening_for is not None:
            region = screening_for.program.owner
        definition = definition_for(instrument_code, region=region, language=language)
        if language not in definition.get("languages", [language]):
            language = definition["languages"][0]
        return Response.objects.create(
            citizen=citizen,
            enrolment=enrolment,
            send=send,
            instrument_code=instrument_code,
            instrument_version=str(definition.get("version", "")),
            definition=definition,
            language=language,
            screening_for=screening_for,
        )


def response_save_draft(*, actor, response: Response, raw: dict) -> tuple[Response, dict]:
    """Keep what was typed. Answers that fail their type are not stored but
    reported; a submitted response is left as it is."""
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.status == Response.Status.COMPLETED:
            return response, {}
        answers, errors = clean_answers(response.definition, {**response.answers, **raw})
        response.answers = answers
        response.save(update_fields=["answers", "updated_at"])
    return response, errors


class StaleForm(ValidationError):
    """The submitted form does not belong to this response (another tab, an old page)."""


def response_submit(*, actor, client_token, raw: dict, response: Response | None = None) -> Response:
    """Submit the answers. Idempotent on ``client_token``: a double click or a
    retry returns the response already submitted and changes nothing.

    With ``response`` (the pages: the response in the address, already checked
    to be the citizen's), the token must be that response's, so a stale tab or
    a forged token never submits another response; the answers typed are kept
    as a draft and ``StaleForm`` is raised.

    Computes scores and bands, evaluates the alert rules against the
    enrolment's baseline, raises flags for the care unit, and marks the send done."""
    if response is not None and str(client_token or "") != str(response.client_token):
        response_save_draft(actor=actor, response=response, raw=raw)
        raise StaleForm(_("This page was out of date, so nothing was sent. Your answers are kept: send them again."))
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",))
            .select_related("citizen", "enrolment", "enrolment__unit")
            .get(client_token=client_token)
        )
        if response.status == Response.Status.COMPLETED:
            return response
        definition = response.definition
        answers, errors = clean_answers(definition, {**response.answers, **raw})
        result = score(definition, answers, sex=response.citizen.legal_sex)
        if errors or result.missing:
            # Keep what was typed, then refuse (outside the transaction, so the save stays).
            response.answers = answers
            response.save(update_fields=["answers", "updated_at"])
            problems = {"errors": errors, "missing": result.missing}
        else:
            problems = None
            _complete(actor, response, definition, answers, result)
    if problems:
        raise IncompleteAnswers(**problems)
    return response


def _complete(actor, response, definition, answers, result):
    """Score, store, raise flags for alerts and close the send (inside the caller's transaction)."""
    baseline = None
    if response.enrolment_id:
        first = (
            Response.objects.filter(
                enrolment=response.enrolment, instrument_code=response.instrument_code, status=Response.Status.COMPLETED
            )
            .order_by("submitted_at")
            .values_list("scores", flat=True)
            .first()
        )
        baseline = first
    alerts = evaluate_alerts(definition, answers, result, baseline=baseline)
    now = timezone.now()
    response.answers, response.status, response.submitted_at, response.submitted_by = (
        answers,
        Response.Status.COMPLETED,
        now,
        actor,
    )
    response.scores = result.scores
    response.bands = {key: band.code for key, band in result.bands.items() if band is not None}
    response.alerts = [
        {"kind": a.kind, "urgent": a.urgent, "rule": a.rule, "message": a.message, "value": a.value} for a in alerts
    ]
    response.save()
    if response.send_id:
        ScheduledSend.objects.filter(pk=response.send_id).update(completed_at=now)
    if response.enrolment_id:
        enrolment_changed.send(sender=Response, enrolment_ids=[response.enrolment_id], parts=["activity"])
        for alert in alerts:
            flag_raise(
                kind=Flag.Kind.QUESTIONNAIRE,
                citizen=response.citizen,
                unit=response.enrolment.unit,
                enrolment=response.enrolment,
                urgent=alert.urgent,
                message=alert.message,
                source_type="questionnaire_response",
                source_id=f"{response.pk}:{alert.rule}",
            )


def _send_date(enrolment, due_on: dt.date) -> dt.date:
    """A send's day: not before the enrolment began, at most two years ahead
    (a send far away would flag as overdue or notify at once by mistake)."""
    started = timezone.localtime(enrolment.started_at).date()
    return date_in_range(due_on, earliest=started, latest=years_from(timezone.localdate(), 2), field="due_on")


def send_add(*, actor, enrolment, instrument_code: str, due_on: dt.date) -> ScheduledSend:
    """A clinician adds a send for one patient."""
    _send_date(enrolment, due_on)
    with transaction.atomic():
        definition_for(instrument_code, region=enrolment.program_version.program.owner)
        send = ScheduledSend.objects.create(
            enrolment=enrolment,
            instrument_code=instrument_code,
            due_on=due_on,
            reason=ScheduledSend.Reason.MANUAL,
            created_by=actor,
        )
        clinician_access_record(
            actor=actor,
            enrolment=enrolment,
            action=AccessLogEntry.Action.CREATE,
            object_type="questionnaire_send",
            object_id=send.pk,
        )
    return send


def send_move(*, actor, send: ScheduledSend, due_on: dt.date) -> ScheduledSend:
    with transaction.atomic():
        send = (
            ScheduledSend.objects.select_for_update()
            .select_related("enrolment__unit", "enrolment__citizen")
            .get(pk=send.pk)
        )
        _send_date(send.enrolment, due_on)
        clinician_access_record(
            actor=actor,
            enrolment=send.enrolment,
            action=AccessLogEntry.Action.CHANGE,
            object_type="questionnaire_send",
            object_id=send.pk,
        )
        if send.completed_at is not None:
            raise ValidationError(_("The questionnaire has already been answered."))
        send.due_on, send.moved_by, send.moved_at = due_on, actor, timezone.now()
        send.save(update_fields=["due_on", "moved_by", "moved_at"])
    return send


def _schedules(enrolment):
    return [
        (element, element.content.get("schedule") or {})
        for element in Element.objects.filter(version=enrolment.program_version_id, kind=elements.QUESTIONNAIRE)
    ]


def _sends_by_schedule(enrolment, actor, planned) -> list[ScheduledSend]:
    """One send per (due date, reason) that ``planned(schedule)`` gives for each of
    the program's questionnaire elements."""
    sends = [
        ScheduledSend(
            enrolment=enrolment,
            instrument_code=element.content["instrument"],
            element_key=element.key,
            due_on=due,
            reason=reason,
            created_by=actor,
        )
        for element, schedule in _schedules(enrolment)
        for due, reason in planned(schedule)
    ]
    return ScheduledSend.objects.bulk_create(sends)


def sends_for_enrolment_start(*, enrolment, on: dt.date, actor=None) -> list[ScheduledSend]:
    """Schedule what is known when an enrolment starts: at start, weekly through
    the program's expected length, and before each module when modules follow a
    schedule (``receivers``: on ``care.signals.enrolment_started``)."""
    interval = enrolment.program_version.unlock_interval_days
    return _sends_by_schedule(
        enrolment,
        actor,
        lambda schedule: sends_at_start(
            schedule, start=on, module_count=enrolment.module_count, interval_days=interval
        ),
    )


def sends_for_module_opened(*, enrolment, on: dt.date, actor=None) -> list[ScheduledSend]:
    """Schedule the questionnaires set to be sent before each module, when a
    module opens for this enrolment (on ``care.signals.module_opened``)."""
    return _sends_by_schedule(
        enrolment,
        actor,
        lambda schedule: [(on, ScheduledSend.Reason.MODULE)] if schedule.get("before_each_module") else [],
    )


def sends_at_enrolment_end(*, enrolment, on: dt.date, actor=None) -> list[ScheduledSend]:
    """Earlier sends not answered stop being due; a completed enrolment gets the
    questionnaires set for the end and for follow-up N weeks later (on
    ``care.signals.enrolment_ended``)."""
    ScheduledSend.objects.filter(enrolment=enrolment, completed_at__isnull=True, due_on__lt=on).delete()
    if enrolment.status != Enrolment.Status.COMPLETED:
        return []
    return _sends_by_schedule(enrolment, actor, lambda schedule: sends_at_end(schedule, end=on))
