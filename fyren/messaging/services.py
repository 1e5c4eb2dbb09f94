"""Writes about threads and messages. A notice that something new is waiting
goes through ``notifications.services.notify``."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fyren.accounts.permissions import has_role, manages_unit_settings, roles_at
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write, audit_event_write
from fyren.care.models import CareRelation
from fyren.care.services import care_relation_start_by_citizen
from fyren.care.summary import summary_refresh
from fyren.flags.models import Flag
from fyren.flags.services import flag_acknowledge, flag_raise
from fyren.lib.text import without_control_characters
from fyren.lib.uploads import as_file, sha256_of
from fyren.notifications.services import notify
from fyren.people.selectors import may_act_for
from fyren.programs.files import CheckedFile, RejectedFile, check_upload

from .models import Attachment, ContactRequest, Message, Thread
from .signals import contact_requested, message_sent
from .urgent import urgent_phrases_in

MAX_BODY = 10_000
MAX_DRAFT = 50_000


# --- who may write ------------------------------------------------------------------------


def _staff_role(actor, unit) -> str:
    if has_role(actor, Role.CLINICIAN, unit):
        return Role.CLINICIAN
    raise PermissionDenied


def _check_side(actor, thread: Thread, from_citizen: bool) -> str:
    """The role the actor writes under; refuse anyone else."""
    if from_citizen:
        if not may_act_for(actor, thread.citizen):
            raise PermissionDenied
        return ""
    return _staff_role(actor, thread.unit)


# --- threads ------------------------------------------------------------------------------


def thread_for_enrolment(enrolment) -> Thread:
    """The enrolment's thread, made the first time it is needed (it holds no content)."""
    thread, _created = Thread.objects.get_or_create(
        enrolment=enrolment, defaults={"citizen_id": enrolment.citizen_id, "unit_id": enrolment.unit_id}
    )
    return thread


def thread_for_subject(*, citizen, unit, subject: str) -> Thread:
    """A thread of the unit outside any program for messages on one subject that
    another app starts from the citizen's side (comments on a care plan); made
    the first time (it holds no content)."""
    thread = Thread.objects.filter(citizen=citizen, unit=unit, enrolment__isnull=True, subject=subject[:200]).first()
    return thread or Thread.objects.create(citizen=citizen, unit=unit, subject=subject[:200])


def thread_open(*, actor, unit, citizen, subject: str) -> Thread:
    """A clinician opens a contact thread with a patient of the unit, outside any program."""
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Give the thread a subject.")})
    with transaction.atomic():
        _staff_role(actor, unit)
        if not CareRelation.objects.active().filter(citizen=citizen, unit=unit).exists():
            raise PermissionDenied
        thread = Thread.objects.create(citizen=citizen, unit=unit, subject=subject[:200], created_by=actor)
        audit_event_write(actor=actor, action="thread.open", obj=thread, unit=unit)
    return thread


def contact_thread_start(
    *, actor, unit, citizen, subject: str, body: str, client_token, files: Sequence = ()
) -> Thread:
    """Open a contact thread with its first message, all or nothing. Sending the
    same form twice (same ``client_token``) returns the thread made the first time."""
    earlier = Message.objects.filter(client_token=client_token, thread__unit=unit).select_related("thread").first()
    if earlier is not None:
        return earlier.thread
    with transaction.atomic():
        thread = thread_open(actor=actor, unit=unit, citizen=citizen, subject=subject)
        message_send(actor=actor, thread=thread, body=body, from_citizen=False, client_token=client_token, files=files)
    return thread


PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


def contact_request_send(
    *,
    actor,
    citizen,
    unit,
    topic: str,
    body: str,
    how: str,
    when: str = "",
    phone: str = "",
    client_token,
) -> Thread:
    """*Kontakta mig*: the citizen asks ``unit`` to contact them. It opens the care
    relation (the citizen turned to the unit), a thread in the unit's inbox whose
    first message is what it is about — with the urgent-word triage and the
    unit's answer time of every message — and, where the unit is measured against
    the care guarantee, its case (contact on day 0, ``contact_requested``). The
    same form sent twice (same ``client_token``) gives the thread made the first time."""
    earlier = Message.objects.filter(client_token=client_token, thread__unit=unit).select_related("thread").first()
    if earlier is not None:
        return earlier.thread
    if not unit.accepts_contact_requests or not may_act_for(actor, citizen):
        raise PermissionDenied
    topic, when, phone = (topic or "").strip(), (when or "").strip(), (phone or "").strip()
    problems = {}
    if not topic:
        problems["topic"] = _("Say in a few words what it is about.")
    if how not in ContactRequest.How.values:
        problems["how"] = _("Choose how the unit may reach you.")
    if how == ContactRequest.How.PHONE and not PHONE_PATTERN.match(phone):
        problems["phone"] = _("Give a phone number the unit can call, e.g. 070-123 45 67.")
    if len(when) > 200:
        problems["when"] = _("At most 200 characters.")
    if not (body or "").strip():
        problems["body"] = _("Write what you want to tell the unit.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        waiting = Thread.objects.filter(
            citizen=citizen, unit=unit, contact_request__isnull=False, waiting_since__isnull=False
        ).first()
        if waiting is not None:
            raise ValidationError(
                _("You already have a request waiting for the unit's answer: write in it instead."),
                code="waiting",
                params={"thread": waiting.pk},
            )
        care_relation_start_by_citizen(actor=actor, citizen=citizen, unit=unit, reason=topic)
        thread = Thread.objects.create(citizen=citizen, unit=unit, subject=topic[:200], created_by=actor)
        ContactRequest.objects.create(thread=thread, how=how, when=when, phone=phone)
        message = message_send(actor=actor, thread=thread, body=body, from_citizen=True, client_token=client_token)
        contact_requested.send(sender=Thread, thread=thread, at=message.sent_at, actor=actor)
    thread.refresh_from_db()  # the message set its waiting time
    return thread


def unit_contact_requests_set(*, actor, unit, accepts: bool):
    """Whether citizens may ask the unit to contact them; the unit's enrolment admins
    may change it, and the region's care-provider admin."""
    with transaction.atomic():
        if not manages_unit_settings(actor, unit):
            raise PermissionDenied
        unit.accepts_contact_requests = bool(accepts)
        unit.save(update_fields=["accepts_contact_requests"])
        audit_event_write(actor=actor, action="unit.contact_requests", obj=unit, unit=unit, data={"on": bool(accepts)})
    return unit


# --- messages -----------------------------------------------------------------------------


def _checked_files(files: Sequence) -> list[tuple[str, Any, CheckedFile]]:
    files = [f for f in files if f]
    if len(files) > settings.FYREN_MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(n)d files to one message.") % {"n": settings.FYREN_MAX_ATTACHMENTS}}
        )
    checked = []
    for upload in files:
        try:
            info = check_upload(upload, kind="attachment")  # reads the header, not the whole file
        except RejectedFile as exc:
            raise ValidationError({"attachments": f"{upload.name}: {exc}"}) from None
        checked.append((upload.name, upload, info))
    return checked


def draft_note(body: str) -> str:
    """What the writer must know about a draft of ``body`` (empty when nothing)."""
    length = len(body or "")
    if length > MAX_DRAFT:
        return _("Only the first %(n)s characters are kept in the draft.") % {"n": f"{MAX_DRAFT:,}".replace(",", " ")}
    if length > MAX_BODY:
        return _("The text is %(n)d characters; a message holds at most %(max)d. Shorten it before you send.") % {
            "n": length,
            "max": MAX_BODY,
        }
    return ""


def message_draft_save(*, actor, thread: Thread, body: str, from_citizen: bool) -> Message | None:
    """Keep what the writer has typed so far (one draft per writer and thread).
    An empty text removes the draft. A draft holds up to ``MAX_DRAFT``
    characters, more than a message may have, so a text that is too long to
    send is kept for shortening; beyond that the page says what was kept
    (``draft_note``)."""
    body = without_control_characters(body or "")[:MAX_DRAFT]
    with transaction.atomic():
        _check_side(actor, thread, from_citizen)
        draft = Message.objects.select_for_update().filter(thread=thread, sender=actor, status="draft").first()
        if not body.strip():
            if draft is not None:
                draft.delete()
            return None
        if draft is None:
            return Message.objects.create(thread=thread, sender=actor, from_citizen=from_citizen, body=body)
        draft.body = body
        draft.save(update_fields=["body"])
        return draft


def message_send(
    *,
    actor,
    thread: Thread,
    body: str,
    from_citizen: bool,
    client_token: uuid.UUID | str | None = None,
    files: Sequence = (),
) -> Message:
    """Send a message in ``thread``.

    Sending twice with the same ``client_token`` stores one message. A message
    from the citizen's side starts the team's waiting time and, if it contains
    urgent words, raises an urgent flag at once; a message from the team answers
    what was waiting and notifies the citizen (content-free)."""
    role = _check_side(actor, thread, from_citizen)
    token = uuid.UUID(str(client_token)) if client_token else uuid.uuid4()
    earlier = Message.objects.filter(client_token=token, thread=thread).first()
    if earlier is not None:
        return earlier
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("The message is too long (at most %(n)d characters).") % {"n": MAX_BODY}})
    checked = _checked_files(files)
    if not body and not checked:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    if thread.enrolment is not None and not thread.enrolment.is_open and from_citizen:
        raise ValidationError(_("The program has ended, so this conversation is closed."))
    try:
        return _message_store(actor, thread, body, from_citizen, token, checked, role)
    except IntegrityError:
        # The same submission raced in twice: the other one stored it.
        earlier = Message.objects.filter(client_token=token, thread=thread).first()
        if earlier is None:
            raise
        return earlier


def _message_store(actor, thread, body, from_citizen, token, checked, role) -> Message:
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if Message.objects.filter(client_token=token).exists():
            raise IntegrityError("client token used")
        now = timezone.now()
        Message.objects.filter(thread=thread, sender=actor, status="draft").delete()
        message = Message.objects.create(
            thread=thread,
            sender=actor,
            from_citizen=from_citizen,
            body=body,
            status=Message.Status.SENT,
            client_token=token,
            created_at=now,
            sent_at=now,
            urgent_phrases=urgent_phrases_in(body) if from_citizen else [],
            language=get_language() or "",
        )
        for name, data, info in checked:
            file = as_file(data)
            attachment = Attachment(
                message=message,
                filename=name[:200],
                content_type=info.content_type,
                extension=info.extension,
                size=info.size,
                sha256=sha256_of(file),
            )
            attachment.file.save(f"upload.{info.extension}", file, save=False)
            attachment.save()
        thread.last_message_at = now
        if from_citizen:
            if thread.waiting_since is None:
                thread.waiting_since = now
            thread.handled_at, thread.handled_by, thread.handling = None, None, ""
        else:
            # The team's answer reads what the citizen's side wrote before it.
            Message.objects.filter(thread=thread, from_citizen=True, status="sent", read_at__isnull=True).update(
                read_at=now, read_by=actor
            )
            if thread.waiting_since is not None:
                thread.waiting_since = None
                thread.handled_at, thread.handled_by, thread.handling = now, actor, Thread.Handling.ANSWERED
            _unanswered_flags_settle(actor, thread, _("Answered in the conversation."))
        thread.save(update_fields=["last_message_at", "waiting_since", "handled_at", "handled_by", "handling"])
        if message.urgent_phrases:
            flag_raise(
                kind=Flag.Kind.URGENT_MESSAGE,
                citizen=thread.citizen,
                unit=thread.unit,
                enrolment=thread.enrolment,
                urgent=True,
                message={
                    "sv": "Meddelandet innehåller ord om självskada eller akut fara: "
                    + ", ".join(message.urgent_phrases),
                    "en": "The message contains words about self-harm or acute danger: "
                    + ", ".join(message.urgent_phrases),
                },
                source_type="message",
                source_id=str(message.pk),
            )
        if not from_citizen:
            access_log_write(
                actor=actor,
                citizen=thread.citizen,
                action=AccessLogEntry.Action.CREATE,
                object_type="message",
                object_id=message.pk,
                role=role or Role.CLINICIAN,
                unit=thread.unit,
            )
            notify(citizen=thread.citizen, event="new_message", event_key=f"message:{message.pk}")
        if thread.enrolment_id:
            summary_refresh([thread.enrolment_id], ["activity", "unread"] if from_citizen else ["unread"])
        message_sent.send(sender=Message, message=message, actor=actor)
    return message


def _unanswered_flags_settle(actor, thread: Thread, note: str) -> None:
    """An "unanswered message" flag is settled by handling the message: acknowledged
    (and audited) through the flags' own service, with what was done as the note."""
    for flag in Flag.objects.filter(
        kind=Flag.Kind.UNANSWERED,
        source_type="thread",
        source_id__startswith=f"{thread.pk}:",
        acknowledged_at__isnull=True,
    ):
        flag_acknowledge(actor=actor, flag=flag, note=note)


def thread_mark_read(*, actor, thread: Thread, from_citizen: bool) -> int:
    """The reader (on the citizen's side if ``from_citizen``) has seen the other
    side's messages. Returns how many became read."""
    _check_side(actor, thread, from_citizen)
    with transaction.atomic():
        count = Message.objects.filter(
            thread=thread, from_citizen=not from_citizen, status="sent", read_at__isnull=True
        ).update(read_at=timezone.now(), read_by=actor)
        if count and not from_citizen and thread.enrolment_id:
            summary_refresh([thread.enrolment_id], ["unread"])
    return count


def thread_mark_handled(*, actor, thread: Thread) -> Thread:
    """A clinician marks what the citizen wrote as needing no answer; who and when are kept."""
    with transaction.atomic():
        _staff_role(actor, thread.unit)
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.waiting_since is None:
            return thread
        now = timezone.now()
        Message.objects.filter(thread=thread, from_citizen=True, status="sent", read_at__isnull=True).update(
            read_at=now, read_by=actor
        )
        waited = thread.waiting_since
        thread.waiting_since = None
        thread.handled_at, thread.handled_by, thread.handling = now, actor, Thread.Handling.NO_ANSWER_NEEDED
        thread.save(update_fields=["waiting_since", "handled_at", "handled_by", "handling"])
        if thread.enrolment_id:
            summary_refresh([thread.enrolment_id], ["unread"])
        _unanswered_flags_settle(actor, thread, _("Marked as needing no answer."))
        audit_event_write(
            actor=actor,
            action="thread.no_answer_needed",
            obj=thread,
            unit=thread.unit,
            data={"waiting_since": waited.isoformat()},
        )
    return thread


def thread_assign(*, actor, thread: Thread, assignee) -> Thread:
    """Give a waiting thread to one clinician of the unit (clinicians and enrolment admins may)."""
    with transaction.atomic():
        if not roles_at(actor, thread.unit) & {Role.CLINICIAN, Role.ENROLMENT_ADMIN}:
            raise PermissionDenied
        if assignee is not None and not has_role(assignee, Role.CLINICIAN, thread.unit):
            raise ValidationError(_("Choose a clinician of this unit."))
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        old = thread.assigned_to_id
        thread.assigned_to = assignee
        thread.save(update_fields=["assigned_to"])
        audit_event_write(
            actor=actor,
            action="thread.assign",
            obj=thread,
            unit=thread.unit,
            data={"old": old, "new": getattr(assignee, "pk", None)},
        )
    return thread


# --- the unit's answer time ----------------------------------------------------------------


def unit_answer_time_set(*, actor, unit, hours: int):
    """Set how soon the unit answers messages; later ones raise an "unanswered" flag.
    The unit's enrolment admins may, and the region's care-provider admin."""
    if not 1 <= int(hours) <= 720:
        raise ValidationError({"hours": _("Give a number of hours from 1 to 720.")})
    with transaction.atomic():
        if not manages_unit_settings(actor, unit):
            raise PermissionDenied
        old = unit.answer_within_hours
        unit.answer_within_hours = int(hours)
        unit.save(update_fields=["answer_within_hours"])
        audit_event_write(
            actor=actor, action="unit.answer_time", obj=unit, unit=unit, data={"old": old, "new": int(hours)}
        )
    return unit
