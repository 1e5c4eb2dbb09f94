from django.urls import path

from . import views

app_name = "careplans"

urlpatterns = [
    path("<int:citizen_id>/", views.my_plan, name="my_plan"),
    path("<int:citizen_id>/agree/", views.agree, name="agree"),
]
