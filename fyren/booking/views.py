"""The citizen's times (*Mina tider*): offers to answer, coming visits to rebook
or cancel, web booking where it is open, a calendar file per visit and a
personal calendar feed. Old links to a moved visit lead to the current one; a
cancelled visit says so plainly."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.accounts.selectors import remembered_language
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import next_or
from fyren.people.selectors import citizens_of_user

from . import feed_services, selectors, services, waiting_room
from .calendar import booking_file, calendar_bytes, feed_chains
from .calendar import summary as calendar_summary
from .forms import BookForm, CancelForm, DeclineForm, RebookForm
from .models import Booking, CalendarFeed


@citizen_required
def my_bookings(request):
    bookings = selectors.bookings_for_citizen_user(request.user)
    offers: dict = {}
    for booking in bookings:
        if booking.status == Booking.Status.OFFERED:
            offers.setdefault(booking.offer_group, []).append(booking)
    citizens = citizens_of_user(request.user)
    return render(
        request,
        "booking/my_bookings.html",
        {
            "offers": list(offers.values()),
            "coming": [b for b in bookings if b.status in (Booking.Status.BOOKED, Booking.Status.ARRIVED)],
            "past": [b for b in bookings if b.status not in Booking.CURRENT],
            "bookable": {c: selectors.web_bookable_slots(c) for c in citizens},
            "feed": CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first(),
            "book_token": uuid.uuid4(),
            "calendar_summary": calendar_summary(),
        },
    )


@citizen_required
def booking_detail(request, booking_id):
    """One visit. A link to a moved visit leads to where it is now; a cancelled
    one says so, and can never be rebooked from here."""
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    current = selectors.current_of(booking)
    if current.pk != booking.pk:
        messages.info(request, _("This visit was moved. Here is the time that now stands."))
        return redirect("booking:detail", booking_id=current.pk)
    return _detail_with(request, booking, status=200)


@citizen_required
@require_POST
def check_in(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    message_call(
        request,
        lambda: waiting_room.check_in(actor=request.user, booking=booking),
        _("You are checked in."),
    )
    return redirect("booking:detail", booking_id=booking.pk)


def _answer(request, form, call, done: str):
    if form_call(form, call):
        messages.success(request, done)
    else:
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    return redirect("booking:mine")


@citizen_required
@require_POST
def accept(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    message_call(
        request,
        lambda: services.offer_accept(actor=request.user, booking=booking),
        _("The time is booked. You find it under Coming visits."),
    )
    return redirect("booking:mine")


@citizen_required
@require_POST
def decline(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    form = DeclineForm(request.POST)
    return _answer(
        request,
        form,
        lambda d: services.offer_decline(actor=request.user, booking=booking, reason=d["reason"]),
        _("You have declined the offered times. The unit will contact you."),
    )


@citizen_required
@require_POST
def book(request):
    citizens = {str(c.pk): c for c in citizens_of_user(request.user)}
    citizen = citizens.get(request.POST.get("citizen", ""))
    if citizen is None:
        raise Http404
    form = BookForm(request.POST, slots=selectors.web_bookable_slots(citizen))
    return _answer(
        request,
        form,
        lambda d: services.booking_make(
            actor=request.user, citizen=citizen, slot=d["slot"], reason=d["reason"], client_token=d["client_token"]
        ),
        _("The time is booked. You find it under Coming visits."),
    )


@citizen_required
@require_POST
def cancel(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    form = CancelForm(request.POST)
    if form_call(form, lambda d: services.booking_cancel(actor=request.user, booking=booking, reason=d["reason"])):
        messages.success(request, _("The visit is cancelled."))
        return redirect("booking:mine")
    return _detail_with(request, booking, cancel_form=form)


@citizen_required
@require_POST
def rebook(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    form = RebookForm(request.POST, slots=selectors.rebookable_slots(booking))
    moved = {}

    def move(d):
        moved["to"] = services.booking_rebook(actor=request.user, booking=booking, slot=d["slot"], reason=d["reason"])

    if form_call(form, move):
        messages.success(request, _("The visit is moved."))
        return redirect("booking:detail", booking_id=moved["to"].pk)
    return _detail_with(request, booking, rebook_form=form)


def _detail_with(request, booking, status: int = 400, **forms):
    """The visit's page; after a refusal (400) with the form that was refused."""
    rules = selectors.rules_for(booking.unit)
    booked = booking.status == Booking.Status.BOOKED
    context = {
        "booking": booking,
        "cancel_form": CancelForm(),
        "rebook_form": RebookForm(slots=selectors.rebookable_slots(booking, rules=rules) if booked else []),
        "deadline_hours": rules.change_until_hours,
        # A refused form is shown again with what was typed, whatever the deadline.
        "may_change": selectors.citizen_may_change(booking, rules=rules) or bool(forms),
        "video_link": waiting_room.let_in_video_link(booking),
        "state": waiting_room.visit_state(booking),
        "check_in_minutes": settings.FYREN_VIDEO_LINK_MINUTES_BEFORE,
    }
    context.update(forms)
    return render(request, "booking/detail.html", context, status=status)


@citizen_required
def booking_ics(request, booking_id):
    booking = selectors.booking_for_citizen_user_or_404(request.user, booking_id)
    response = HttpResponse(booking_file(booking, host=request.get_host()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fyren-besok-{booking.pk}.ics"'
    return response


@login_required
@require_POST
def feed_new(request):
    """A new secret calendar address (citizens and staff alike)."""
    feed_services.calendar_feed_create(actor=request.user)
    messages.success(request, _("Your calendar address is made. Any earlier address has stopped working."))
    return redirect(next_or(request, "booking:mine"))


@login_required
@require_POST
def feed_revoke(request):
    feed_services.calendar_feed_revoke(actor=request.user)
    messages.success(request, _("Your calendar address has stopped working."))
    return redirect(next_or(request, "booking:mine"))


def feed(request, token):
    """A personal feed: no login (calendar programs cannot log in), found only by
    its secret token; no health content in it."""
    found = selectors.feed_or_404(token)
    chains = feed_chains(selectors.feed_bookings(found))
    body = calendar_bytes(
        chains, host=request.get_host(), language=remembered_language(found.user) or settings.LANGUAGE_CODE
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
