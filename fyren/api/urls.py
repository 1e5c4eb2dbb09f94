"""The open interfaces' addresses: the REST API and its docs, the FHIR server,
OAuth 2.0 with SMART's configuration, and the citizen's connected apps. Names
without a namespace, as clients and templates have always called them."""

from django.urls import include, path, re_path
from oauth2_provider import views as oauth_views

from . import fhir, fhir_appointments, fhir_subscriptions, launch_views, views
from .endpoints import api

# What the authorisation server serves, and nothing more: django-oauth-toolkit's
# default URLs would also let any signed-in person register applications
# (/o/applications/) and clients register themselves (/o/register/). Apps are
# registered by an operator in the admin.
OAUTH_URLS = [
    path("authorize/", views.FyrenAuthorizationView.as_view(), name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        oauth_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", oauth_views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", oauth_views.UserInfoView.as_view(), name="user-info"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/v1/docs", views.docs, name="api_docs"),
    path("account/apps/", views.connected_apps, name="connected_apps"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart_configuration"),
    path("smart/launch", launch_views.smart_launch, name="smart_launch"),
    path("smart/redirect", launch_views.smart_redirect, name="smart_redirect"),
    path("smart/land", launch_views.smart_land, name="smart_land"),
    path("fhir/", fhir.metadata, name="fhir_base"),
    path("fhir/metadata", fhir.metadata, name="fhir_metadata"),
    path("fhir/$export", fhir.export_kickoff, name="fhir_export"),
    path("fhir/Patient/$export", fhir.export_kickoff_patients, name="fhir_export_patients"),
    path("fhir/Group/<str:group_id>/$export", fhir.export_kickoff_group, name="fhir_export_group"),
    path("fhir/$export-status/<uuid:key>", fhir.export_status, name="fhir_export_status"),
    path("fhir/$export-file/<uuid:key>/<str:name>", fhir.export_file, name="fhir_export_file"),
    re_path(r"^fhir/(?P<path>(?:[^/]+/)*_history(?:/.*)?)$", fhir.unknown, name="fhir_history"),
    path("fhir/Subscription", fhir_subscriptions.collection, name="fhir_subscriptions"),
    path("fhir/Subscription/$status", fhir_subscriptions.status, name="fhir_subscriptions_status"),
    path("fhir/Subscription/<str:key>/$status", fhir_subscriptions.status, name="fhir_subscription_status"),
    path("fhir/Subscription/<str:key>/$events", fhir_subscriptions.events, name="fhir_subscription_events"),
    path("fhir/Subscription/<str:key>", fhir_subscriptions.instance, name="fhir_subscription"),
    path("fhir/Appointment", fhir_appointments.collection, name="fhir_appointments"),
    path("fhir/Appointment/$book", fhir_appointments.book, name="fhir_appointment_book"),
    path("fhir/<str:resource_type>", fhir.search, name="fhir_search"),
    path("fhir/<str:resource_type>/_search", fhir.search_post, name="fhir_search_post"),
    path("fhir/<str:resource_type>/<str:resource_id>", fhir.read, name="fhir_read"),
    re_path(r"^fhir/(?P<path>.*)$", fhir.unknown, name="fhir_unknown"),
    path("o/authorize/", views.FyrenAuthorizationView.as_view(), name="oauth_authorize"),
    path("o/", include((OAUTH_URLS, "oauth2_provider"), namespace="oauth2_provider")),
]
