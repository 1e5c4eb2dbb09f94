from django.urls import path

from . import views

# A calendar program fetches the feed with the secret in its address, without logging in.
urlpatterns = [path("calendar/<str:token>.ics", views.feed, name="calendar_feed")]
