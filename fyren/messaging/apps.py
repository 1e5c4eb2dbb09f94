from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "fyren.messaging"
    label = "messaging"

    def ready(self):
        from fyren.care.signals import enrolment_moved
        from fyren.care.summary import register_activity, register_count

        from .receivers import on_enrolment_moved
        from .summary import last_message_sent, unread_messages

        register_activity(last_message_sent)
        register_count("unread", "unread_messages", unread_messages)
        enrolment_moved.connect(on_enrolment_moved, dispatch_uid="messaging.enrolment_moved")
