from django.urls import path

from . import views

app_name = "episodes"

urlpatterns = [
    path("", views.pathway_list, name="pathways"),
    path("<int:pathway_id>/", views.pathway_view, name="pathway"),
    path("lead-times/", views.lead_times, name="lead_times"),
]
