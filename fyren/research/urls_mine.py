from django.urls import path

from . import views

# The citizen's side of research: the projects she may take part in and her consent.
urlpatterns = [
    path("", views.my_research, name="research_mine"),
    path("<int:project_id>/consent", views.my_consent, name="research_consent"),
]
