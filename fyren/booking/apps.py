from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "fyren.booking"
    label = "booking"
    verbose_name = "Booking"
