from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "fyren.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self):
        # Imported here, not at the top: models may not load before the app registry is ready.
        from fyren.episodes.signals import point_recorded
        from fyren.messaging.signals import contact_requested, message_sent

        from . import receivers

        point_recorded.connect(receivers.on_point_recorded, dispatch_uid="booking.guarantee.point")
        message_sent.connect(receivers.on_message_sent, dispatch_uid="booking.guarantee.answer")
        contact_requested.connect(receivers.on_contact_requested, dispatch_uid="booking.guarantee.contact")
