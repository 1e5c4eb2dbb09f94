from django.urls import path

from . import views

# For load balancers and orchestrators; names without a namespace.
urlpatterns = [
    path("health/", views.health, name="health"),
    path("ready/", views.ready, name="ready"),
]
