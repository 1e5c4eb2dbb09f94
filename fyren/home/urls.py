from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("contact/", views.contact, name="contact"),
    path("<int:citizen_id>/access-log/", views.access_log, name="access_log"),
    path("<int:citizen_id>/access-log.csv", views.access_log_download, name="access_log_download"),
]
