from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("<int:project_id>/", views.project, name="project"),
    path("<int:project_id>/exports/<uuid:key>.zip", views.export_zip, name="export_zip"),
    path("<int:project_id>/exports/<uuid:key>/<str:name>", views.export_file, name="export_file"),
]
