"""Reads of threads and messages, scoped to the reader. Anything the reader may
not see is a 404, exactly like something missing; staff reads are logged."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404

from fyren.accounts.permissions import has_role, roles_at
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.audit.services import access_log_write_many
from fyren.care.selectors import citizen_get_for_clinician
from fyren.flags.routing import routed_filter
from fyren.organisations.models import CareUnit
from fyren.people.selectors import citizen_of_user, represented_ids

from .models import Attachment, Message, Thread


def _sent_messages():
    return Message.objects.filter(status=Message.Status.SENT).select_related("sender").prefetch_related("attachments")


def citizen_ids_for_user(user) -> list[int]:
    me = citizen_of_user(user)
    return [] if me is None else [me.pk, *represented_ids(me)]


def threads_for_citizen_user(user):
    """The threads of the logged-in citizen and of everyone they act for, with
    how many of the team's messages are unread."""
    return (
        Thread.objects.filter(citizen_id__in=citizen_ids_for_user(user))
        .select_related("citizen", "unit", "enrolment__program_version", "enrolment__citizen")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__status="sent", messages__from_citizen=False, messages__read_at__isnull=True),
            )
        )
        .order_by("-last_message_at", "-created_at")
    )


def unread_count_for_citizen_user(user, *, enrolment=None) -> int:
    """The care team's messages the citizen's side has not read (in one enrolment's thread, if given)."""
    messages = Message.objects.filter(
        thread__citizen_id__in=citizen_ids_for_user(user), status="sent", from_citizen=False, read_at__isnull=True
    )
    if enrolment is not None:
        messages = messages.filter(thread__enrolment=enrolment)
    return messages.count()


def with_sent_messages(thread: Thread) -> Thread:
    """The thread with its sent messages as ``thread.sent`` (read once; a page that
    only writes to the thread — a reply that goes through — never reads them)."""
    if not hasattr(thread, "sent"):
        prefetch_related_objects([thread], Prefetch("messages", queryset=_sent_messages(), to_attr="sent"))
    return thread


def thread_for_citizen_user_or_404(user, thread_id, *, messages: bool = True) -> Thread:
    """One of the citizen's threads (or of someone they act for); ``messages``: with
    its sent messages (``with_sent_messages``)."""
    thread = (
        Thread.objects.filter(pk=thread_id, citizen_id__in=citizen_ids_for_user(user))
        .select_related("citizen", "unit", "enrolment__program_version", "enrolment__citizen")
        .first()
    )
    if thread is not None and messages:
        with_sent_messages(thread)
    if thread is None:
        raise Http404
    return thread


def thread_for_staff_or_404(*, actor, unit, thread_id, messages: bool = True) -> Thread:
    """A thread of the unit, for a clinician who may read the citizen's data (logged);
    ``messages``: with its sent messages (``with_sent_messages``)."""
    if not has_role(actor, Role.CLINICIAN, unit):
        raise Http404
    thread = (
        Thread.objects.filter(pk=thread_id, unit=unit)
        .select_related("citizen", "unit", "enrolment__program_version", "assigned_to", "handled_by")
        .first()
    )
    if thread is None:
        raise Http404
    if messages:
        with_sent_messages(thread)
    thread.citizen = citizen_get_for_clinician(actor=actor, unit=unit, citizen_id=thread.citizen_id)
    return thread


def attachment_in_thread_or_404(thread: Thread, attachment_id) -> Attachment:
    attachment = Attachment.objects.filter(pk=attachment_id, message__thread=thread, message__status="sent").first()
    if attachment is None:
        raise Http404
    return attachment


def inbox_for(*, actor, unit, mine: bool = False, page=1, per_page: int = 100):
    """The unit's threads waiting for an answer, oldest wait first, a page at a
    time; with ``mine``, only those routed to the actor (assigned to them, or
    their patients', or an absent colleague's). Logged as one read per citizen shown."""
    from django.core.paginator import Paginator

    roles = roles_at(actor, unit) & {Role.CLINICIAN, Role.ENROLMENT_ADMIN}
    if not roles:
        return Paginator([], per_page).get_page(1)
    threads = (
        Thread.objects.waiting()
        .filter(unit=unit)
        .select_related("citizen", "enrolment__program_version", "assigned_to")
        # A correlated count, not a join and GROUP BY: the database counts for the
        # page's threads only, after the index gives the oldest waits in order.
        .annotate(
            unread=Coalesce(
                Subquery(
                    Message.objects.filter(
                        thread=OuterRef("pk"), status="sent", from_citizen=True, read_at__isnull=True
                    )
                    .order_by()
                    .values("thread")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .order_by("waiting_since", "pk")
    )
    if mine:
        threads = threads.filter(routed_filter(actor, unit, enrolment="enrolment", assigned_field="assigned_to"))
    shown = Paginator(threads, per_page).get_page(page)
    access_log_write_many(
        actor=actor,
        citizens=[t.citizen for t in shown],
        action=AccessLogEntry.Action.READ,
        object_type="inbox",
        role=Role.CLINICIAN if Role.CLINICIAN in roles else Role.ENROLMENT_ADMIN,
        unit=unit,
    )
    return shown


def draft_for(*, actor, thread: Thread) -> Message | None:
    """The actor's unsent draft in the thread, if any."""
    return Message.objects.filter(thread=thread, sender=actor, status="draft").first()


# For readers that scope to a token's access and log what they return themselves
# (the FHIR server, fyren/api/fhir.py): ``units`` is the reader's units, or None
# when a citizen reads their own.


def sent_messages_for_reader(citizens, units=None):
    qs = Message.objects.filter(status=Message.Status.SENT, thread__citizen__in=citizens)
    qs = qs.select_related("thread__unit", "sender")
    return qs if units is None else qs.filter(thread__unit__in=units)


def units_taking_contact_requests():
    """The units (valid today) that take contact requests, by region and name (no patient data)."""
    return (
        CareUnit.objects.active_on()
        .filter(accepts_contact_requests=True)
        .select_related("region")
        .order_by("region__name", "name")
    )


def unit_taking_contact_requests_or_404(unit_id) -> CareUnit:
    unit = units_taking_contact_requests().filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit
