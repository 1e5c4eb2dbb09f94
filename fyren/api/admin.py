from django.contrib import admin

from .models import BulkExport, Subscription, UnitClient


@admin.register(UnitClient)
class UnitClientAdmin(admin.ModelAdmin):
    list_display = ("application", "unit", "created_at")
    raw_id_fields = ("application", "unit", "created_by")


@admin.register(BulkExport)
class BulkExportAdmin(admin.ModelAdmin):
    list_display = ("key", "application", "unit", "status", "created_at", "expires_at")
    readonly_fields = [f.name for f in BulkExport._meta.fields]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """An operator sees every record system's subscriptions and may turn one off
    (status); the client changes the rest through /fhir/Subscription."""

    list_display = ("key", "application", "unit", "topic", "status", "events_count", "failures", "last_sent_at")
    list_filter = ("status", "topic")
    readonly_fields = [f.name for f in Subscription._meta.fields if f.name != "status"]
