from django.urls import path

from . import views

app_name = "questionnaires"

urlpatterns = [
    path("send/<int:send_id>/start/", views.start, name="start"),
    path("<int:response_id>/", views.answer, name="answer"),
    path("<int:response_id>/result/", views.result, name="result"),
    path("history/<slug:code>/", views.history, name="history"),
]
