from django.urls import path

from . import views, views_unit

app_name = "reporting"

urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<int:run_id>/", views.import_view, name="import"),
    path("imports/<int:run_id>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("national/", views.national, name="national"),
    path("programs/", views.programs, name="programs"),
    path("units/<int:unit_id>/", views_unit.unit_results, name="unit_results"),
]
