"""The demo e-ID: log in as any demo person, citizen or staff. Routed only
when FYREN_DEMO=1, which production mode refuses."""

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from fyren.accounts.decorators import AUTH_METHOD_KEY
from fyren.accounts.models import User
from fyren.lib.http import id_or_none, next_or
from fyren.people.models import Citizen


def eid(request):
    """Demo e-ID: log in as any demo person. Exists only when FYREN_DEMO=1, which
    production mode refuses."""
    if not settings.DEMO:
        raise Http404
    if request.method == "POST":
        user = get_object_or_404(User, pk=id_or_none(request.POST.get("user")), is_active=True)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[AUTH_METHOD_KEY] = "demo"
        # Staff sent here from a page that asked for a login (a record system's launch) go back to it.
        return redirect(next_or(request, "accounts:start") if user.is_staff_member else "accounts:start")
    citizens = Citizen.objects.filter(user__isnull=False).select_related("user").order_by("given_name")
    staff = (
        User.objects.filter(kind=User.Kind.STAFF, is_active=True, roles__removed_at__isnull=True)
        .distinct()
        .order_by("first_name")
    )
    return render(request, "demo/eid.html", {"citizens": citizens, "staff": staff, "next": next_or(request, "")})
