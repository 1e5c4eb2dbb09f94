from django.urls import path

from . import views, views_dashboard, views_enrolment, views_handover, views_messages, views_settings

app_name = "clinic"

D, E, H, M = views_dashboard, views_enrolment, views_handover, views_messages

urlpatterns = [
    path("<int:unit_id>/", D.dashboard, name="dashboard"),
    path("<int:unit_id>/patients/", views.patient_list, name="patient_list"),
    path("<int:unit_id>/patients/new/", views.care_relation_new, name="care_relation_new"),
    path("<int:unit_id>/patients/<int:citizen_id>/", views.patient_detail, name="patient_detail"),
    path("<int:unit_id>/patients/<int:citizen_id>/contact/", M.contact_thread_new, name="contact_thread_new"),
    path("<int:unit_id>/emergency-access/", views.emergency_access, name="emergency_access"),
    path("<int:unit_id>/patients/<int:citizen_id>/start/", views.enrolment_new, name="enrolment_new"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/", E.enrolment_view, name="enrolment"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/notes/", E.note_add, name="note_add"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/visibility/", E.visibility_set, name="visibility_set"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/open-module/", E.module_open, name="module_open"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/phase/", E.phase_set, name="phase_set"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/end/", E.end, name="end"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/clinicians/", E.clinicians_set, name="clinicians_set"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/handover/", E.handover_request, name="handover_request"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/journal/", H.journal, name="journal"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/messages/", M.enrolment_thread, name="enrolment_thread"),
    path("<int:unit_id>/enrolments/<int:enrolment_id>/sends/", views.send_add, name="send_add"),
    path("<int:unit_id>/sends/<int:send_id>/move/", views.send_move, name="send_move"),
    path("<int:unit_id>/responses/<int:response_id>/", views.response_view, name="response"),
    path("<int:unit_id>/exercises/<int:answer_id>/feedback/", views.feedback_give, name="feedback_give"),
    path("<int:unit_id>/journal/<int:export_id>/", H.journal_export, name="journal_export"),
    path("<int:unit_id>/journal/<int:export_id>/bundle.json", H.journal_bundle, name="journal_bundle"),
    path("<int:unit_id>/inbox/", M.inbox, name="inbox"),
    path("<int:unit_id>/inbox/answer-time/", M.answer_time_set, name="answer_time_set"),
    path("<int:unit_id>/threads/<int:thread_id>/", M.thread, name="thread"),
    path("<int:unit_id>/threads/<int:thread_id>/handled/", M.thread_handled, name="thread_handled"),
    path("<int:unit_id>/threads/<int:thread_id>/assign/", M.thread_assign, name="thread_assign"),
    path(
        "<int:unit_id>/threads/<int:thread_id>/files/<int:attachment_id>/",
        M.thread_attachment,
        name="thread_attachment",
    ),
    path("<int:unit_id>/flags/", D.flags, name="flags"),
    path("<int:unit_id>/flags/<int:flag_id>/acknowledge/", D.flag_acknowledge, name="flag_acknowledge"),
    path("<int:unit_id>/absence/", D.absences, name="absences"),
    path("<int:unit_id>/absence/<int:absence_id>/end/", D.absence_end, name="absence_end"),
    path("<int:unit_id>/handovers/", H.handovers, name="handovers"),
    path("<int:unit_id>/settings/", views_settings.unit_settings, name="unit_settings"),
    path("<int:unit_id>/handovers/<int:handover_id>/", H.handover_decide, name="handover_decide"),
]
