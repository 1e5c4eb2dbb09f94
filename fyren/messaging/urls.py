from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("enrolment/<int:enrolment_id>/", views.enrolment_thread, name="enrolment_thread"),
    path("<int:thread_id>/", views.thread, name="thread"),
    path("<int:thread_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
