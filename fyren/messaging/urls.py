from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("enrolment/<int:enrolment_id>/", views.enrolment_thread, name="enrolment_thread"),
    path("<int:thread_id>/", views.thread, name="thread"),
    path("contact/", views.contact_units, name="contact_units"),
    path("contact/<int:unit_id>/", views.contact_request, name="contact_request"),
    path("<int:thread_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
