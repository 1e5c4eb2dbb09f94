from django.urls import path

from . import views

app_name = "region"

urlpatterns = [
    path("", views.log_review, name="log_review"),
    path("export.csv", views.log_review_export, name="log_review_export"),
]
