"""What makes a subscription event: the saved rows of the feature apps, read as
the topics of ``subscriptions.TOPICS``. Connected to ``post_save`` in
``ApiConfig.ready``, so an event is written in the transaction of whatever
service made the change, and a row saved again reports nothing new (one event
per subscription and focus). Each receiver first checks the row's own state, so
the saves that cannot be an event (a draft answer, an offered visit) cost no query."""

from __future__ import annotations

from fyren.booking.models import Booking
from fyren.care.models import Enrolment
from fyren.flags.models import Flag
from fyren.journal.models import JournalExport
from fyren.questionnaires.models import Response

from .fhir_types.params import ref
from .subscriptions import Event, record_events

ENDED = (Enrolment.Status.COMPLETED, Enrolment.Status.DISCONTINUED, Enrolment.Status.HANDED_OVER)


def _event(topic: str, unit_id: int | None, kind: str, key, citizen_id: int | None) -> list[Event]:
    if unit_id is None:
        return []
    focus_type, _slash, focus_id = ref(kind, key).partition("/")
    return [Event(topic, unit_id, focus_type, focus_id, citizen_id)]


def response_saved(sender, instance: Response, **kwargs) -> None:
    if instance.status != Response.Status.COMPLETED or instance.enrolment_id is None:
        return
    unit_id = Enrolment.objects.filter(pk=instance.enrolment_id).values_list("unit_id", flat=True).first()
    record_events(_event("questionnaire-response-completed", unit_id, "response", instance.pk, instance.citizen_id))


def flag_saved(sender, instance: Flag, **kwargs) -> None:
    if not instance.urgent:
        return
    events = _event("urgent-flag-raised", instance.unit_id, "flag", instance.pk, instance.citizen_id)
    if instance.acknowledged_at is not None:
        events += _event("urgent-flag-acknowledged", instance.unit_id, "flag", instance.pk, instance.citizen_id)
    record_events(events)


def journal_export_saved(sender, instance: JournalExport, created: bool = False, **kwargs) -> None:
    if created:
        citizen_id = Enrolment.objects.filter(pk=instance.enrolment_id).values_list("citizen_id", flat=True).first()
        record_events(_event("journal-note-ready", instance.unit_id, "journal-export", instance.pk, citizen_id))


def enrolment_saved(sender, instance: Enrolment, **kwargs) -> None:
    if instance.status in (Enrolment.Status.ACTIVE, Enrolment.Status.MAINTENANCE):
        topic = "enrolment-started"
    elif instance.status in ENDED:
        topic = "enrolment-ended"
    else:
        return
    record_events(_event(topic, instance.unit_id, "enrolment", instance.pk, instance.citizen_id))


def booking_saved(sender, instance: Booking, **kwargs) -> None:
    if instance.status == Booking.Status.BOOKED:
        topic = "booking-moved" if instance.replaces_id else "booking-made"
    elif instance.status == Booking.Status.CANCELLED:
        topic = "booking-cancelled"
    else:
        return
    record_events(_event(topic, instance.unit_id, "appointment", instance.pk, instance.citizen_id))


def connect() -> None:
    from django.db.models.signals import post_save

    for model, receiver in (
        (Response, response_saved),
        (Flag, flag_saved),
        (JournalExport, journal_export_saved),
        (Enrolment, enrolment_saved),
        (Booking, booking_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"fyren_subscription_{model.__name__}")
