from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Content-free notices to citizens by e-mail and SMS, beside flags: any
    feature raises one; the worker delivers it."""

    name = "fyren.notifications"
    label = "notifications"
