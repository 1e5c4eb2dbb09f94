from django.contrib import admin

from .models import CareUnit, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number"]


@admin.register(CareUnit)
class CareUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "hsa_id", "region", "provider_type", "valid_from", "valid_to"]
    list_filter = ["region", "provider_type"]
