from django.urls import path

from . import views_reports

app_name = "waiting_times"

urlpatterns = [
    path("", views_reports.guarantee_figures, name="guarantee"),
]
