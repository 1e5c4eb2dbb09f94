from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from fyren.accounts import views as account_views
from fyren.api import fhir
from fyren.api import views as api_views
from fyren.api.endpoints import api
from fyren.booking import views as booking_views
from fyren.research import views as research_views
from fyren.scheduler import views as scheduler_views

admin.site.__class__ = OTPAdminSite  # the operators' admin also needs a second factor

urlpatterns = [
    path("", account_views.home, name="home"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
    path("health/", scheduler_views.health, name="health"),
    path("ready/", scheduler_views.ready, name="ready"),
    path("i18n/setlang/", account_views.choose_language, name="set_language"),
    path("account/login/demo-eid/", include("fyren.demo.urls")),
    path("account/", include("fyren.accounts.urls")),
    path("me/", include("fyren.home.urls")),
    path("me/questionnaires/", include("fyren.questionnaires.urls")),
    path("me/enrolments/", include("fyren.care.urls")),
    path("me/messages/", include("fyren.messaging.urls")),
    path("me/plan/", include("fyren.careplans.urls")),
    path("me/bookings/", include("fyren.booking.urls")),
    path("calendar/<str:token>.ics", booking_views.feed, name="calendar_feed"),
    path("pathways/", include("fyren.episodes.urls")),
    path("care-guarantee/", include("fyren.booking.urls_reports")),
    path("reporting/", include("fyren.reporting.urls")),
    path("research/", include("fyren.research.urls")),
    path("me/research/", research_views.my_research, name="research_mine"),
    path("me/research/<int:project_id>/consent", research_views.my_consent, name="research_consent"),
    path("api/v1/", api.urls),
    path("api/v1/docs", api_views.docs, name="api_docs"),
    path("account/apps/", api_views.connected_apps, name="connected_apps"),
    path(".well-known/smart-configuration", api_views.smart_configuration, name="smart_configuration"),
    path("fhir/", fhir.metadata, name="fhir_base"),
    path("fhir/metadata", fhir.metadata, name="fhir_metadata"),
    path("fhir/$export", fhir.export_kickoff, name="fhir_export"),
    path("fhir/$export-status/<uuid:key>", fhir.export_status, name="fhir_export_status"),
    path("fhir/$export-file/<uuid:key>/<str:name>", fhir.export_file, name="fhir_export_file"),
    path("fhir/<str:resource_type>", fhir.search, name="fhir_search"),
    path("fhir/<str:resource_type>/<str:resource_id>", fhir.read, name="fhir_read"),
    path("o/authorize/", api_views.FyrenAuthorizationView.as_view(), name="oauth_authorize"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("clinic/", include("fyren.clinic.urls")),
    path("log-review/", include("fyren.region.urls")),
    path("", include("fyren.programs.urls")),
    path("design/instruments/", include("fyren.instruments.urls")),
    path("django-admin/", admin.site.urls),
]

handler404 = "fyren.lib.views.not_found"
handler500 = "fyren.lib.views.server_error"
handler403 = "fyren.lib.views.not_found"  # forbidden looks like not-found
