from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("book/", views.book, name="book"),
    path("<int:booking_id>/", views.booking_detail, name="detail"),
    path("<int:booking_id>/accept/", views.accept, name="accept"),
    path("<int:booking_id>/decline/", views.decline, name="decline"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/rebook/", views.rebook, name="rebook"),
    path("<int:booking_id>/calendar.ics", views.booking_ics, name="ics"),
    path("<int:booking_id>/check-in/", views.check_in, name="check_in"),
    path("calendar/new/", views.feed_new, name="feed_new"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
]
