from django.contrib import admin

from .models import BulkExport, UnitClient


@admin.register(UnitClient)
class UnitClientAdmin(admin.ModelAdmin):
    list_display = ("application", "unit", "created_at")
    raw_id_fields = ("application", "unit", "created_by")


@admin.register(BulkExport)
class BulkExportAdmin(admin.ModelAdmin):
    list_display = ("key", "application", "unit", "status", "created_at", "expires_at")
    readonly_fields = [f.name for f in BulkExport._meta.fields]
