"""Routing lives with flags (fyren.flags.routing); kept here for the workspace's callers."""

from fyren.flags.routing import absences_on, is_absent, routed_filter  # noqa: F401
