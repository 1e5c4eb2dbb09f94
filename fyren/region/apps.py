from django.apps import AppConfig


class RegionConfig(AppConfig):
    """The workspace of those who work for the care provider as a whole rather
    than at one unit: today the log review."""

    name = "fyren.region"
    label = "region"
