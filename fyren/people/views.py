from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fyren.accounts.decorators import citizen_required
from fyren.audit.selectors import access_log_for_citizen
from fyren.lib import spreadsheets
from fyren.lib.middleware import PREFERRED_LANGUAGE_KEY, set_language_cookie

from . import services
from .forms import ContactForm
from .selectors import citizen_for_user_or_404, citizen_of_user


@citizen_required
def contact(request):
    me = citizen_for_user_or_404(request.user, getattr(citizen_of_user(request.user), "pk", None))
    initial = {
        "email": me.email,
        "mobile": me.mobile,
        "preferred_language": me.preferred_language,
        "notify_email": me.notify_email,
        "notify_sms": me.notify_sms,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.citizen_update_contact(actor=request.user, citizen=me, **form.cleaned_data)

        language = form.cleaned_data["preferred_language"]
        request.session[PREFERRED_LANGUAGE_KEY] = language
        translation.activate(language)  # the confirmation in the language just chosen
        messages.success(request, _("Your contact details are saved."))
        response = redirect("home:overview")
        set_language_cookie(response, language)
        return response
    return render(request, "people/contact.html", {"form": form}, status=400 if form.errors else 200)


@citizen_required
def access_log(request, citizen_id):
    """'Who has read my data': each access by care staff, with care unit and time."""
    citizen = citizen_for_user_or_404(request.user, citizen_id)
    entries = access_log_for_citizen(citizen=citizen)[:500]
    return render(request, "people/access_log.html", {"citizen": citizen, "entries": entries})


@citizen_required
def access_log_download(request, citizen_id):
    citizen = citizen_for_user_or_404(request.user, citizen_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"fyren-access-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = spreadsheets.writer(response)
    writer.writerow([_("Time"), _("Care unit"), _("What was done"), _("Emergency access")])
    for entry in access_log_for_citizen(citizen=citizen).iterator():
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
                entry.unit_label,
                entry.get_action_display(),
                _("Yes") if entry.emergency else "",
            ]
        )
    return response
