"""Booking in the clinician workspace: the unit's schedules and published times,
offering times to a patient (a time in hand) or booking on their behalf, and
the unit's calendar by day and week, the waiting room, and the contacts
followed against the care guarantee."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.accounts.decorators import staff_required
from fyren.accounts.permissions import unit_for_role_or_404
from fyren.accounts.professions import Profession
from fyren.accounts.roles import Role
from fyren.accounts.selectors import licensed_as
from fyren.booking import schedule_services, services
from fyren.booking import selectors as booking
from fyren.booking import waiting_room as visits
from fyren.booking.forms import (
    AgreementForm,
    BlockForm,
    BookElsewhereForm,
    CancelForm,
    GuaranteeEndForm,
    GuaranteeRegisterForm,
    GuaranteeStepForm,
    GuaranteeWaitForm,
    OfferForm,
    RebookForm,
    ScheduleForm,
    SlotForm,
    TemplateForm,
)
from fyren.booking.guarantee_services import guarantee_end, guarantee_mark, guarantee_patient_wait, guarantee_register
from fyren.booking.models import Booking, CalendarFeed, Schedule
from fyren.care.selectors import citizen_get_for_clinician
from fyren.lib.forms import form_call, message_call
from fyren.lib.http import id_or_none
from fyren.organisations.models import CareUnit
from fyren.people.services import citizen_by_number_or_create
from fyren.programs.models import Program

from ..selectors import unit_clinicians

STAFF = (Role.CLINICIAN, Role.ENROLMENT_ADMIN)


@staff_required
def schedules(request, unit_id):
    """Schedules, weekly templates (published at once), one-off times, and blocking
    a period — which lists the booked visits it touches, to be moved."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    unit_schedules = Schedule.objects.filter(unit=unit, active=True)
    programs = Program.objects.filter(unit_activations__unit=unit, unit_activations__active=True).distinct()
    forms = {
        "schedule": ScheduleForm(post if action == "schedule" else None, clinicians=unit_clinicians(unit), prefix="s"),
        "template": TemplateForm(
            post if action == "template" else None, schedules=unit_schedules, programs=programs, prefix="t"
        ),
        "slot": SlotForm(post if action == "slot" else None, schedules=unit_schedules, prefix="o"),
        "block": BlockForm(post if action == "block" else None, schedules=unit_schedules, prefix="b"),
        "agreement": AgreementForm(
            post if action == "agreement" else None,
            schedules=unit_schedules,
            units=CareUnit.objects.active_on().exclude(pk=unit.pk).select_related("region"),
            prefix="a",
        ),
    }
    touched: list[Booking] = []
    actor = request.user

    def publish(d):
        template = schedule_services.template_save(
            actor=actor,
            schedule=d["schedule"],
            weekday=d["weekday"],
            starts=d["starts"],
            ends=d["ends"],
            minutes=d["minutes"],
            visit_kind=d["visit_kind"],
            audience=d["audience"],
            program=d["program"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            reasons=(d["reasons"] or "").splitlines(),
        )
        made = schedule_services.slots_publish(actor=actor, template=template)
        messages.success(request, _("%(n)d times are published.") % {"n": made})

    calls = {
        "schedule": lambda d: schedule_services.schedule_save(
            actor=actor, unit=unit, kind=d["kind"], title=d["title"], clinician=d["clinician"]
        ),
        "template": publish,
        "slot": lambda d: schedule_services.slot_add(
            actor=actor,
            schedule=d["schedule"],
            starts_at=d["starts_at"],
            minutes=d["minutes"],
            visit_kind=d["visit_kind"],
            audience=d["audience"],
        ),
        "agreement": lambda d: services.booking_agreement_grant(
            actor=actor, schedule=d["schedule"], booking_unit=d["booking_unit"]
        ),
        "block": lambda d: touched.extend(
            schedule_services.period_block(
                actor=actor, schedule=d["schedule"], starts_at=d["starts_at"], ends_at=d["ends_at"], reason=d["reason"]
            )
        ),
    }
    if action in calls:
        if form_call(forms[action], calls[action]):
            if action == "block" and touched:
                # The visits to move are named on the page that follows, not in the address.
                return render(
                    request,
                    "clinic/schedules_blocked.html",
                    {"unit": unit, "touched": touched},
                )
            if action != "template":
                messages.success(request, _("Saved."))
            return redirect("clinic:schedules", unit_id=unit.pk)
    elif action == "agreement_end":
        agreement = next((a for a in booking.agreements_of(unit) if str(a.pk) == request.POST.get("agreement")), None)
        if agreement is None:
            raise Http404
        message_call(request, lambda: services.booking_agreement_end(actor=actor, agreement=agreement), _("Saved."))
        return redirect("clinic:schedules", unit_id=unit.pk)
    elif action is not None:
        raise Http404
    return render(
        request,
        "clinic/schedules.html",
        {
            "unit": unit,
            "schedules": booking.schedules_of(unit),
            "agreements": booking.agreements_of(unit),
            "forms": forms,
            "failed": action,
        },
        status=400 if action else 200,
    )


@staff_required
def offer_times(request, unit_id, citizen_id):
    """Offer one or several free times to a patient, or book one on their behalf."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    citizen = citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id, object_type="bookings")
    form = OfferForm(request.POST or None, slots=booking.free_slots(unit=unit))
    if request.method == "POST":

        def offer(d):
            if not d["slots"]:
                raise ValidationError({"slots": _("Choose at least one time.")})
            if d["direct"]:
                services.booking_make(actor=request.user, citizen=citizen, slot=d["slots"][0], reason=d["reason"])
            else:
                services.times_offer(actor=request.user, citizen=citizen, slots=d["slots"], reason=d["reason"])

        if form_call(form, offer):
            messages.success(
                request,
                _("The time is booked.") if form.cleaned_data["direct"] else _("The times are offered to the patient."),
            )
            return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    return render(
        request,
        "clinic/offer_times.html",
        {
            "unit": unit,
            "citizen": citizen,
            "form": form,
            "bookings": booking.bookings_of_patient(unit=unit, citizen=citizen),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def book_elsewhere(request, unit_id, citizen_id):
    """Book the unit's patient into another unit's time that an agreement opens to
    the unit's staff (e.g. a follow-up at the patient's health centre)."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    citizen = citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=citizen_id, object_type="bookings")
    form = BookElsewhereForm(
        request.POST or None, slots=booking.agreed_free_slots(booking_unit=unit), initial={"client_token": uuid.uuid4()}
    )
    if request.method == "POST" and form_call(
        form,
        lambda d: services.booking_make_for_unit(
            actor=request.user,
            booking_unit=unit,
            citizen=citizen,
            slot=d["slot"],
            reason=d["reason"],
            client_token=d["client_token"],
        ),
    ):
        messages.success(request, _("The time is booked at the other unit."))
        return redirect("clinic:patient_detail", unit_id=unit.pk, citizen_id=citizen.pk)
    return render(
        request,
        "clinic/book_elsewhere.html",
        {"unit": unit, "citizen": citizen, "form": form},
        status=400 if form.errors else 200,
    )


def _day(value) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


@staff_required
def unit_calendar(request, unit_id):
    """The unit's times for a day or a week: free, offered, booked, held, no-show, blocked."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    week = request.GET.get("view") == "week"
    day = _day(request.GET.get("day"))
    start = day - dt.timedelta(days=day.weekday()) if week else day
    days = 7 if week else 1
    schedule_id = request.GET.get("schedule", "")
    slots = booking.unit_calendar(
        actor=request.user,
        unit=unit,
        start=start,
        days=days,
        schedule_ids=[schedule_id] if schedule_id.isdigit() else None,
    )
    by_day: dict[dt.date, list] = {start + dt.timedelta(days=n): [] for n in range(days)}
    for slot in slots:
        by_day.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    step = dt.timedelta(days=days)
    return render(
        request,
        "clinic/calendar.html",
        {
            "unit": unit,
            "by_day": by_day,
            "week": week,
            "view": "week" if week else "day",
            "day": day,
            "today": timezone.localdate(),
            "showing_today": start <= timezone.localdate() < start + step,
            "previous": (start - step).isoformat(),
            "next": (start + step).isoformat(),
            "schedules": booking.schedules_of(unit),
            "schedule_id": schedule_id,
            "feed": CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first(),
        },
    )


@staff_required
def waiting_room(request, unit_id):
    """Today's queues: who has checked in, for which clinician or shared queue,
    since when; admit (then open the link), tell of a delay, mark no-show or held."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    if request.method == "POST" and request.POST.get("action") == "next":
        queue = Schedule.objects.filter(pk=id_or_none(request.POST.get("schedule")), unit=unit).first()
        if queue is None:
            raise Http404
        try:
            taken = visits.admit_next(actor=request.user, schedule=queue)
        except PermissionDenied:
            raise Http404 from None
        if taken is None:
            messages.info(request, _("No one is waiting in the queue."))
        else:
            name = taken.citizen.full_name
            messages.success(request, _("You took %(name)s: open the video meeting or call them in.") % {"name": name})
        return redirect("clinic:waiting_room", unit_id=unit.pk)
    if request.method == "POST":
        visit = Booking.objects.filter(pk=id_or_none(request.POST.get("booking")), unit=unit).first()
        if visit is None:
            raise Http404
        action = request.POST.get("action")
        calls = {
            "admit": lambda: visits.admit(actor=request.user, booking=visit),
            "late": lambda: visits.running_late(
                actor=request.user, booking=visit, minutes=id_or_none(request.POST.get("minutes")) or 10
            ),
            "held": lambda: visits.visit_outcome(actor=request.user, booking=visit, held=True),
            "no_show": lambda: visits.visit_outcome(actor=request.user, booking=visit, held=False),
        }
        if action not in calls:
            raise Http404
        message_call(request, calls[action], _("Saved."))
        return redirect("clinic:waiting_room", unit_id=unit.pk)
    queues = booking.waiting_room(actor=request.user, unit=unit)
    for queue in queues.values():
        for visit in queue:
            visit.link = visits.let_in_video_link(visit)
    return render(request, "clinic/waiting_room.html", {"unit": unit, "queues": queues, "now": timezone.now()})


@staff_required
def booking_view(request, unit_id, booking_id):
    """One visit of the unit: staff move it to another free time or cancel it
    (always, whatever the citizen's deadline); the patient gets a notice."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    visit = (
        Booking.objects.filter(pk=booking_id, unit=unit).select_related("slot__schedule", "citizen", "held_by").first()
    )
    if visit is None:
        raise Http404
    citizen_get_for_clinician(actor=request.user, unit=unit, citizen_id=visit.citizen_id, object_type="booking")
    action = request.POST.get("action") if request.method == "POST" else None
    cancel_form = CancelForm(request.POST if action == "cancel" else None, prefix="c")
    move_form = RebookForm(request.POST if action == "move" else None, slots=booking.free_slots(unit=unit), prefix="m")
    if action == "cancel" and form_call(
        cancel_form, lambda d: services.booking_cancel(actor=request.user, booking=visit, reason=d["reason"])
    ):
        messages.success(request, _("The visit is cancelled."))
        return redirect("clinic:offer_times", unit_id=unit.pk, citizen_id=visit.citizen_id)
    moved: dict = {}
    if action == "move" and form_call(
        move_form,
        lambda d: moved.setdefault(
            "to", services.booking_rebook(actor=request.user, booking=visit, slot=d["slot"], reason=d["reason"])
        ),
    ):
        messages.success(request, _("The visit is moved."))
        return redirect("clinic:booking", unit_id=unit.pk, booking_id=moved["to"].pk)
    if action not in (None, "cancel", "move"):
        raise Http404
    return render(
        request,
        "clinic/booking.html",
        {
            "unit": unit,
            "visit": visit,
            **_licences_of_visit(visit),
            "current": booking.current_of(visit),
            "cancel_form": cancel_form,
            "move_form": move_form,
        },
        status=400 if action else 200,
    )


def _licences_of_visit(visit) -> dict:
    """What the visit's clinician and whoever held it were licensed as that day (for display)."""
    found = licensed_as(
        [visit.slot.schedule.clinician_id, visit.held_by_id], timezone.localtime(visit.slot.starts_at).date()
    )
    return {
        "with_licensed": found.get(visit.slot.schedule.clinician_id, ""),
        "held_licensed": found.get(visit.held_by_id, ""),
    }


# --- the care guarantee -------------------------------------------------------------------------


@staff_required
def guarantee(request, unit_id):
    """The contacts the unit follows against the care guarantee, closest to a
    limit first; and registering a contact that came by phone or at the desk."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    rules = booking.rules_for(unit)
    level = rules.guarantee_level
    assessment_by = ", ".join(str(Profession(p).label) for p in rules.assessment_professions if p in Profession.values)
    form = GuaranteeRegisterForm(request.POST or None, initial={"level": level or "primary"})
    made: dict = {}

    def register(d):
        with transaction.atomic():
            citizen = citizen_by_number_or_create(
                actor=request.user,
                identity_number=d["identity_number"],
                given_name=d["given_name"],
                family_name=d["family_name"],
            )
            made["case"] = guarantee_register(
                actor=request.user, citizen=citizen, unit=unit, level=d["level"], at=d["contact_at"]
            )

    if request.method == "POST" and form_call(form, register):
        messages.success(request, _("The contact is registered; the guarantee clock runs from it."))
        return redirect("clinic:guarantee_case", unit_id=unit.pk, case_id=made["case"].pk)
    return render(
        request,
        "clinic/guarantee.html",
        {
            "unit": unit,
            "level": level,
            "assessment_by": assessment_by,
            "form": form,
            "cases": booking.guarantee_cases_of_unit(actor=request.user, unit=unit),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def guarantee_case(request, unit_id, case_id):
    """One contact: its measures, and recording a step, the patient's own waits,
    or that it ended without treatment."""
    unit = unit_for_role_or_404(request.user, unit_id, *STAFF)
    case = booking.guarantee_case_or_404(actor=request.user, unit=unit, case_id=case_id)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "step": GuaranteeStepForm(
            request.POST if action == "step" else None,
            steps=case.open_steps,
            staff=unit_clinicians(unit),
            prefix="s",
        ),
        "wait": GuaranteeWaitForm(
            request.POST if action == "wait" else None, initial={"days": case.patient_wait_days}, prefix="w"
        ),
        "end": GuaranteeEndForm(request.POST if action == "end" else None, prefix="e"),
    }
    actor = request.user
    calls = {
        "step": lambda d: guarantee_mark(actor=actor, case=case, step=d["step"], at=d["at"], by=d["by"]),
        "wait": lambda d: guarantee_patient_wait(actor=actor, case=case, days=d["days"]),
        "end": lambda d: guarantee_end(actor=actor, case=case, reason=d["reason"]),
    }
    if action is not None:
        if action not in calls:
            raise Http404
        if form_call(forms[action], calls[action]):
            messages.success(request, _("Saved."))
            return redirect("clinic:guarantee_case", unit_id=unit.pk, case_id=case.pk)
    return render(
        request,
        "clinic/guarantee_case.html",
        {
            "unit": unit,
            "case": case,
            "forms": forms,
            "failed": action,
            "assessed_licensed": (
                licensed_as([case.assessed_by_id], timezone.localtime(case.assessed_at).date()).get(case.assessed_by_id)
                if case.assessed_at
                else ""
            ),
        },
        status=400 if action else 200,
    )
