"""The floor of the load benchmark: a minimal authenticated Django view that
does one indexed query, served through the same middleware (session, user,
second factor, locale, access checks) as every Fyren page, next to them."""

from django.http import Http404, HttpResponse
from django.urls import include, path

from fyren.people.models import Citizen


def floor(request):
    if not request.user.is_authenticated:
        raise Http404
    name = Citizen.objects.filter(user_id=request.user.pk).values_list("given_name", flat=True).first()
    return HttpResponse(f"ok {name}", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), path("", include("config.urls"))]
