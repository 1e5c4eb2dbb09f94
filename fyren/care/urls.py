from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.my_programs, name="my_programs"),
    path("<int:enrolment_id>/language/", views.language_choose, name="language"),
    path("<int:enrolment_id>/steps/<uuid:step_key>/", views.step, name="step"),
    path("<int:enrolment_id>/elements/<uuid:element_key>/", views.element_save, name="element_save"),
    path("<int:enrolment_id>/elements/<uuid:element_key>/file", views.element_file, name="element_file"),
    path(
        "<int:enrolment_id>/elements/<uuid:element_key>/spoken/<str:lang>",
        views.element_spoken,
        name="element_spoken",
    ),
    path("<int:enrolment_id>/diary/<uuid:element_key>/", views.diary_add, name="diary_add"),
    path("<int:enrolment_id>/diary/entries/<int:entry_id>/", views.diary_edit, name="diary_edit"),
    path("<int:enrolment_id>/modules/<uuid:module_key>/complete/", views.module_complete, name="module_complete"),
]
