from django.urls import path

from . import views, views_programs

app_name = "home"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enrolments/open/", views_programs.open_programs, name="open_programs"),
    path("enrolments/open/<int:offer_id>/", views_programs.open_program, name="open_program"),
    path(
        "enrolments/open/<int:offer_id>/screening/<int:response_id>/",
        views_programs.screening_outcome,
        name="screening_outcome",
    ),
    path(
        "enrolments/open/<int:offer_id>/screening/<int:response_id>/contact/",
        views_programs.screening_contact,
        name="screening_contact",
    ),
    path("enrolments/<int:enrolment_id>/", views_programs.plan, name="plan"),
    path("enrolments/<int:enrolment_id>/download.html", views_programs.download, name="download"),
    path("contact/", views.contact, name="contact"),
    path("<int:citizen_id>/access-log/", views.access_log, name="access_log"),
    path("<int:citizen_id>/access-log.csv", views.access_log_download, name="access_log_download"),
]
