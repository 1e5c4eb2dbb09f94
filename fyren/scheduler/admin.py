from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Operators see each scheduled run: when, where, how it went, what it printed."""

    list_display = ("job", "period", "outcome", "started_at", "finished_at", "host")
    list_filter = ("job", "outcome")
    readonly_fields = ("job", "period", "outcome", "started_at", "finished_at", "host", "output")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
