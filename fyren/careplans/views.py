"""The citizen's side: *Min plan* — every current plan in one place, the next
activities first, whom to contact for what, what changed since last time,
comments and agreement. Guardians and proxies read it as elsewhere."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fyren.accounts.decorators import citizen_required
from fyren.booking.selectors import bookings_for_citizen_user
from fyren.lib.forms import form_call

from . import selectors, services
from .forms import AgreeForm, CommentForm, PrioritiesForm


def _about(contract, value: str) -> dict:
    """What a comment is about, from the hidden field: a goal, an activity or a unit."""
    kind, _sep, pk = (value or "").partition(":")
    pools = {"goal": contract.goal_list, "activity": contract.activity_list}
    if kind in pools:
        found = next((o for o in pools[kind] if str(o.pk) == pk), None)
        return {kind: found} if found else {}
    if kind == "unit":
        found = next((p.unit for p in contract.participant_list if str(p.unit_id) == pk), None)
        return {"unit": found} if found else {}
    return {}


def _about_choices(contract) -> list[tuple[str, str]]:
    choices = [
        (f"unit:{p.unit_id}", _("The plan in general (to %(unit)s)") % {"unit": p.unit.name})
        for p in contract.participant_list
    ]
    choices += [(f"goal:{g.pk}", _("Goal: %(text)s") % {"text": g.text[:60]}) for g in contract.goal_list]
    choices += [(f"activity:{a.pk}", _("Activity: %(text)s") % {"text": a.what[:60]}) for a in contract.activity_list]
    return choices


def _key(change) -> tuple[str, str, str]:
    return (change.section, change.kind, change.label)


@citizen_required
def my_plan(request, citizen_id):
    contract = selectors.contract_for_citizen_user_or_404(request.user, citizen_id)
    action = request.POST.get("action") if request.method == "POST" else None
    comment_form = CommentForm(request.POST if action == "comment" else None, prefix="comment")
    priorities_form = PrioritiesForm(
        request.POST if action == "priorities" else None,
        prefix="priorities",
        initial={"priorities": contract.priorities},
    )
    if action == "comment":

        def comment(d):
            services.comment_add(
                actor=request.user,
                contract=contract,
                text=d["text"],
                client_token=d["client_token"],
                **_about(contract, d["about"]),
            )

        if form_call(comment_form, comment):
            messages.success(request, _("Your comment is sent to the unit. You find the answer among your messages."))
            return redirect("careplans:my_plan", citizen_id=contract.citizen.pk)
    elif action == "priorities" and form_call(
        priorities_form,
        lambda d: services.priorities_set(actor=request.user, contract=contract, text=d["priorities"]),
    ):
        messages.success(request, _("Saved."))
        return redirect("careplans:my_plan", citizen_id=contract.citizen.pk)
    seen_before, since_seen = selectors.changes_since_seen(contract, request.user)
    # What she is asked to agree to: every change since the version she agreed to,
    # those she has not seen before marked; what is new since she last looked
    # apart from that is listed on its own.
    fresh = {_key(c) for c in since_seen} if seen_before is not None else set()
    agreed_changes = selectors.changes_since_agreed(contract)
    listed = {_key(c) for c in agreed_changes}
    since_agreed = [{"change": c, "fresh": _key(c) in fresh} for c in agreed_changes]
    changes = [{"change": c, "fresh": False} for c in since_seen if _key(c) not in listed]
    if not action:
        services.contract_seen(actor=request.user, contract=contract)
    return render(
        request,
        "careplans/my_plan.html",
        {
            "contract": contract,
            "citizen": contract.citizen,
            "upcoming": selectors.upcoming(contract),
            "visits": [
                b
                for b in bookings_for_citizen_user(request.user)
                if b.citizen_id == contract.citizen.pk and b.status in ("booked", "offered", "arrived")
            ],
            "changes": changes,
            "since_agreed": since_agreed,
            "seen_before": seen_before,
            "comment_form": comment_form,
            "comment_about": request.POST.get("comment-about", "") if action == "comment" else "",
            "about_choices": _about_choices(contract),
            "priorities_form": priorities_form,
            "is_self": contract.citizen.user_id == request.user.pk,
        },
        status=400 if action else 200,
    )


@citizen_required
@require_POST
def agree(request, citizen_id):
    contract = selectors.contract_for_citizen_user_or_404(request.user, citizen_id)
    form = AgreeForm(request.POST)
    if form_call(form, lambda d: services.contract_agree(actor=request.user, contract=contract, number=d["number"])):
        messages.success(request, _("Thank you. Your agreement to the plan is recorded."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Something went wrong."))
    return redirect("careplans:my_plan", citizen_id=contract.citizen.pk)
