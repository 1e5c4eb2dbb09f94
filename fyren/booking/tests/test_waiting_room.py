import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import force_login_staff, login_citizen
from fyren.accounts.roles import Role
from fyren.audit.models import AccessLogEntry
from fyren.booking import schedule_services, selectors, services, waiting_room
from fyren.booking.models import Booking, Slot
from fyren.care.models import CareRelation
from fyren.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def video_visit(booking_world, settings):
    """A video visit starting in ten minutes, in the clinician's own queue."""
    w = booking_world
    settings.FYREN_VIDEO_URL_TEMPLATE = "https://video.example.org/room/{room}"
    start = timezone.now() + dt.timedelta(minutes=10)
    Slot.objects.filter(pk=w.slots[0].pk).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=30), visit_kind="video"
    )
    w.slots[0].refresh_from_db()
    w.visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    return w


def test_the_video_link_is_unique_per_visit_and_shown_only_in_its_window(video_visit):
    w = video_visit
    assert len(w.visit.video_room) >= 20
    link = waiting_room.video_link(w.visit)
    assert link == f"https://video.example.org/room/{w.visit.video_room}"
    assert waiting_room.video_link(w.visit, now=w.visit.slot.starts_at - dt.timedelta(minutes=16)) is None
    assert waiting_room.video_link(w.visit, now=w.visit.slot.ends_at + dt.timedelta(minutes=1)) is None
    other = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[1])
    assert other.video_room == ""  # a visit at the unit has no room


def test_check_in_admit_and_held(video_visit, make):
    w = video_visit
    with pytest.raises(ValidationError):
        waiting_room.check_in(
            actor=w.patient.user, booking=w.visit, now=w.visit.slot.starts_at - dt.timedelta(minutes=20)
        )
    with pytest.raises(PermissionDenied):
        waiting_room.check_in(actor=w.stranger.user, booking=w.visit)
    with pytest.raises(ValidationError):
        waiting_room.admit(actor=w.clinician, booking=w.visit)  # not checked in yet
    waiting_room.check_in(actor=w.patient.user, booking=w.visit)
    queues = selectors.waiting_room(actor=w.clinician, unit=w.unit)
    (queue,) = queues.values()
    assert queue[0].position == 1 and queue[0].pk == w.visit.pk
    assert AccessLogEntry.objects.filter(
        object_type="waiting_room", citizen_id=w.patient.pk, unit_id=w.unit.pk
    ).exists()
    with pytest.raises(PermissionDenied):
        waiting_room.admit(actor=w.outsider, booking=w.visit)
    waiting_room.admit(actor=w.clinician, booking=w.visit)
    waiting_room.visit_outcome(actor=w.clinician, booking=w.visit, held=True)
    assert Booking.objects.get(pk=w.visit.pk).status == "held"


def test_running_late_is_a_message_in_fyren(video_visit):
    w = video_visit
    waiting_room.running_late(actor=w.clinician, booking=w.visit, minutes=10)
    message = Message.objects.get(thread__citizen=w.patient, from_citizen=False)
    assert "10" in message.body


def test_no_show_only_once_the_visit_has_started(booking_world):
    w = booking_world
    visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])
    with pytest.raises(ValidationError):
        waiting_room.visit_outcome(actor=w.clinician, booking=visit, held=False)


def test_queue_positions_count_only_todays_checked_in_visits_of_that_queue(video_visit, make):
    w = video_visit
    other = make.citizen("Olle", "Other", birth=dt.date(1980, 2, 2))
    make.care_relation(other, w.unit)
    start = w.visit.slot.starts_at + dt.timedelta(minutes=5)
    second_slot = schedule_services.slot_add(
        actor=w.admin, schedule=w.schedule, starts_at=start, minutes=30, visit_kind="video", audience="listed"
    )
    second = services.booking_make(actor=w.clinician, citizen=other, slot=second_slot)
    waiting_room.check_in(actor=other.user, booking=second)
    waiting_room.check_in(actor=w.patient.user, booking=w.visit)
    queue = next(iter(selectors.waiting_room(actor=w.clinician, unit=w.unit).values()))
    assert [(v.pk, v.position) for v in queue[:2]] == [(second.pk, 1), (w.visit.pk, 2)]


def test_the_pages(client, video_visit):
    w = video_visit
    login_citizen(client, w.patient)
    page = client.get(f"/me/bookings/{w.visit.pk}/").content.decode()
    assert w.visit.video_room not in page and 'data-state="check_in"' in page and "Anmäl dig" in page
    client.post(f"/me/bookings/{w.visit.pk}/check-in/")
    assert Booking.objects.get(pk=w.visit.pk).status == "arrived"
    waiting = client.get(f"/me/bookings/{w.visit.pk}/").content.decode()
    # One thing said: she waits to be let in, and the link is not hers yet.
    assert 'data-state="waiting"' in waiting and w.visit.video_room not in waiting
    assert waiting.count("Vänta") == 1 and "Anmäl dig" not in waiting
    force_login_staff(client, w.clinician)
    room = client.get(f"/clinic/{w.unit.pk}/waiting-room/").content.decode()
    assert w.patient.full_name in room and "väntar på att bli insläppt" in room
    client.post(f"/clinic/{w.unit.pk}/waiting-room/", {"booking": w.visit.pk, "action": "late", "minutes": 10})
    room = client.get(f"/clinic/{w.unit.pk}/waiting-room/").content.decode()
    assert "Jag är cirka 10 minuter sen: meddela patienten" in room and "att du är sen" in room
    client.post(f"/clinic/{w.unit.pk}/waiting-room/", {"booking": w.visit.pk, "action": "admit"})
    assert Booking.objects.get(pk=w.visit.pk).admitted_by == w.clinician
    assert w.visit.video_room in client.get(f"/clinic/{w.unit.pk}/waiting-room/").content.decode()
    login_citizen(client, w.patient)
    let_in = client.get(f"/me/bookings/{w.visit.pk}/").content.decode()
    assert 'data-state="let_in"' in let_in and w.visit.video_room in let_in and "Öppna videomötet" in let_in
    force_login_staff(client, w.outsider)
    assert client.get(f"/clinic/{w.unit.pk}/waiting-room/").status_code == 404
    login_citizen(client, w.stranger)
    assert client.post(f"/me/bookings/{w.visit.pk}/check-in/").status_code == 404


def test_the_visit_state_follows_the_visit_from_coming_to_let_in(video_visit):
    w = video_visit
    start = w.visit.slot.starts_at
    state = waiting_room.visit_state
    assert state(w.visit, now=start - dt.timedelta(minutes=16)) == waiting_room.VisitState.COMING
    assert state(w.visit, now=start - dt.timedelta(minutes=14)) == waiting_room.VisitState.CHECK_IN
    assert state(w.visit, now=w.visit.slot.ends_at + dt.timedelta(minutes=1)) == waiting_room.VisitState.MISSED
    assert waiting_room.let_in_video_link(w.visit) is None  # not checked in
    visit = waiting_room.check_in(actor=w.patient.user, booking=w.visit)
    assert state(visit) == waiting_room.VisitState.WAITING and waiting_room.let_in_video_link(visit) is None
    visit = waiting_room.admit(actor=w.clinician, booking=visit)
    assert state(visit) == waiting_room.VisitState.LET_IN and visit.video_room in waiting_room.let_in_video_link(visit)
    visit = waiting_room.visit_outcome(actor=w.clinician, booking=visit, held=True)
    assert state(visit) == waiting_room.VisitState.ENDED and waiting_room.let_in_video_link(visit) is None


@pytest.fixture
def shared_queue(booking_world, make):
    """A shared queue ("Psykolog") with three patients checked in for visits in ten minutes."""
    w = booking_world
    w.second = make.staff("second", (Role.CLINICIAN, w.unit))
    w.queue = schedule_services.schedule_save(actor=w.admin, unit=w.unit, kind="role", title="Psykolog")
    start = timezone.now() + dt.timedelta(minutes=10)
    w.waiting = []
    for n, given in enumerate(("Ada", "Bo", "Cia")):
        citizen = make.citizen(given, "Köande", birth=dt.date(1980, 1, n + 1))
        CareRelation.objects.create(citizen=citizen, unit=w.unit, reason="test")
        slot = schedule_services.slot_add(
            actor=w.admin,
            schedule=w.queue,
            starts_at=start + dt.timedelta(minutes=n),
            minutes=30,
            visit_kind="video",
            audience="staff",
        )
        visit = services.booking_make(actor=w.clinician, citizen=citizen, slot=slot)
        w.waiting.append(waiting_room.check_in(actor=citizen.user, booking=visit))
    return w


def test_take_the_next_patient_from_a_shared_queue_in_check_in_order(shared_queue):
    w = shared_queue
    first = waiting_room.admit_next(actor=w.clinician, schedule=w.queue)
    second = waiting_room.admit_next(actor=w.second, schedule=w.queue)
    assert [first.pk, second.pk] == [w.waiting[0].pk, w.waiting[1].pk]
    assert first.admitted_by == w.clinician and second.admitted_by == w.second
    assert waiting_room.admit_next(actor=w.clinician, schedule=w.queue).pk == w.waiting[2].pk
    assert waiting_room.admit_next(actor=w.clinician, schedule=w.queue) is None
    with pytest.raises(PermissionDenied):
        waiting_room.admit_next(actor=w.outsider, schedule=w.queue)


def test_a_clinicians_own_queue_is_theirs_alone(shared_queue):
    w = shared_queue
    with pytest.raises(PermissionDenied):
        waiting_room.admit_next(actor=w.second, schedule=w.schedule)
    assert waiting_room.admit_next(actor=w.clinician, schedule=w.schedule) is None


def test_the_take_next_button(client, shared_queue):
    w = shared_queue
    force_login_staff(client, w.second)
    url = f"/clinic/{w.unit.pk}/waiting-room/"
    page = client.get(url)
    assert "Ta nästa patient" in page.content.decode()
    answer = client.post(url, {"action": "next", "schedule": w.queue.pk}, follow=True)
    assert "Ada Köande" in answer.content.decode()
    assert Booking.objects.get(pk=w.waiting[0].pk).admitted_by == w.second
    assert client.post(url, {"action": "next", "schedule": w.schedule.pk}).status_code == 404  # another's own queue
    force_login_staff(client, w.outsider)
    assert client.post(url, {"action": "next", "schedule": w.queue.pk}).status_code == 404


def test_a_visit_past_the_units_deadline_offers_no_move_or_cancel(client, video_visit):
    w = video_visit
    login_citizen(client, w.patient)
    page = client.get(f"/me/bookings/{w.visit.pk}/").content.decode()
    assert "Det är för sent att flytta eller avboka besöket här." in page
    assert "Flytta till den här tiden" not in page and f"/me/bookings/{w.visit.pk}/cancel/" not in page
