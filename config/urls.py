"""Every app's pages come through the app's own urls.py; this file only says
where each set is mounted."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

admin.site.__class__ = OTPAdminSite  # the operators' admin also needs a second factor

urlpatterns = [
    path("", include("fyren.accounts.urls_site")),
    path("", include("fyren.scheduler.urls")),
    path("account/login/demo-eid/", include("fyren.demo.urls")),
    path("account/", include("fyren.accounts.urls")),
    path("me/", include("fyren.home.urls")),
    path("me/questionnaires/", include("fyren.questionnaires.urls")),
    path("me/enrolments/", include("fyren.care.urls")),
    path("me/messages/", include("fyren.messaging.urls")),
    path("me/plan/", include("fyren.careplans.urls")),
    path("me/bookings/", include("fyren.booking.urls")),
    path("me/research/", include("fyren.research.urls_mine")),
    path("", include("fyren.booking.urls_feed")),
    path("pathways/", include("fyren.episodes.urls")),
    path("care-guarantee/", include("fyren.booking.urls_reports")),
    path("reporting/", include("fyren.reporting.urls")),
    path("research/", include("fyren.research.urls")),
    path("", include("fyren.api.urls")),
    path("clinic/", include("fyren.clinic.urls")),
    path("log-review/", include("fyren.region.urls")),
    path("", include("fyren.programs.urls")),
    path("design/instruments/", include("fyren.instruments.urls")),
    path("django-admin/", admin.site.urls),
]

handler404 = "fyren.lib.views.not_found"
handler500 = "fyren.lib.views.server_error"
handler403 = "fyren.lib.views.not_found"  # forbidden looks like not-found
