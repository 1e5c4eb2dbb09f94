"""The access log's codes as the reviewer reads them (the codes stay in the log:
they are part of the hash chain)."""

from django import template

from fyren.region.labels import identity_label, object_label, role_label

register = template.Library()

register.filter("role_label", role_label)
register.filter("object_label", object_label)
register.filter("identity_label", identity_label)
