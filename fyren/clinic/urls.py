from django.urls import path

from . import views

app_name = "clinic"

urlpatterns = [
    path("<int:unit_id>/patients/", views.patient_list, name="patient_list"),
    path("<int:unit_id>/patients/new/", views.care_relation_new, name="care_relation_new"),
    path("<int:unit_id>/patients/<int:citizen_id>/", views.patient_detail, name="patient_detail"),
    path("<int:unit_id>/emergency-access/", views.emergency_access, name="emergency_access"),
    path("<int:unit_id>/patients/<int:citizen_id>/start/", views.enrolment_new, name="enrolment_new"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/sends/", views.send_add, name="send_add"),
    path("<int:unit_id>/sends/<int:send_id>/move/", views.send_move, name="send_move"),
    path("<int:unit_id>/exercises/<int:answer_id>/feedback/", views.feedback_give, name="feedback_give"),
]
