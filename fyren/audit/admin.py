from django.contrib import admin

from fyren.lib.admin import ReadOnlyAdmin

# The access log names citizens: it is read by log reviewers in Fyren, not in the operators' admin.
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
