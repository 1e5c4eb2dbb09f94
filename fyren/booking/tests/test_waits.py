import datetime as dt

import pytest
from django.utils import timezone

from conftest import force_login_staff
from fyren.booking import services
from fyren.booking.waits import visit_waits
from fyren.episodes.services import episode_open

pytestmark = pytest.mark.django_db


def test_the_wait_runs_from_b_and_the_patients_later_choice_is_counted_apart(booking_world):
    w = booking_world
    offered = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[0])  # in two days
    moved = services.booking_rebook(actor=w.patient.user, booking=offered, slot=w.slots[2])  # one day later
    chain = [offered, moved]
    for b in chain:
        b.refresh_from_db()
    received = timezone.localdate() - dt.timedelta(days=5)
    (wait,) = visit_waits(chain, received=received)
    assert wait.booking.pk == moved.pk and wait.from_point_b
    assert wait.days == 5 + 3 and wait.patient_days == 1 and wait.counted == 7
    (without_b,) = visit_waits(chain, received=None)
    assert not without_b.from_point_b and without_b.days == 3


def test_the_episode_page_shows_the_visits_and_their_wait(client, booking_world):
    w = booking_world
    episode = episode_open(actor=w.clinician, citizen=w.patient, unit=w.unit)
    visit = services.booking_make(actor=w.clinician, citizen=w.patient, slot=w.slots[1])
    force_login_staff(client, w.clinician)
    page = client.get(f"/clinic/{w.unit.pk}/episodes/{episode.pk}/").content.decode()
    assert f"/clinic/{w.unit.pk}/bookings/{visit.pk}/" in page
