from django.urls import path
from django.views.generic import TemplateView

from . import views
from .oidc import oidc_views

app_name = "accounts"

citizen_oidc_start, citizen_oidc_callback = oidc_views("citizen")
staff_oidc_start, staff_oidc_callback = oidc_views("staff")

urlpatterns = [
    path("login/", views.staff_login, name="login"),
    path("login/authenticator/", views.totp_setup, name="totp_setup"),
    path("login/e-id/", citizen_oidc_start, name="oidc_citizen_start"),
    path("login/e-id/callback/", citizen_oidc_callback, name="oidc_citizen_callback"),
    path("login/siths/", staff_oidc_start, name="oidc_staff_start"),
    path("login/siths/callback/", staff_oidc_callback, name="oidc_staff_callback"),
    path("login/failed/", TemplateView.as_view(template_name="accounts/oidc_failed.html"), name="oidc_failed"),
    path("logout/", views.logout_view, name="logout"),
    path("start/", views.start, name="start"),
    path("display/", views.display, name="display"),
    path("units/<int:unit_id>/roles/", views.unit_roles, name="unit_roles"),
    path("units/<int:unit_id>/roles/<int:assignment_id>/remove/", views.unit_role_remove, name="unit_role_remove"),
    path("units/<int:unit_id>/licences/", views.unit_licences, name="unit_licences"),
    path(
        "units/<int:unit_id>/licences/<int:licence_id>/revoke/", views.unit_licence_revoke, name="unit_licence_revoke"
    ),
]
