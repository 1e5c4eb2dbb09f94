from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fyren.lib.admin import ReadOnlyAdmin

from .models import RoleAssignment, User


@admin.register(User)
class FyrenUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "kind", "hsa_id", "is_active"]
    list_filter = ["kind", "is_active", "is_superuser"]
    fieldsets = UserAdmin.fieldsets + (("Fyren", {"fields": ("kind", "hsa_id", "title")}),)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    """Read-only: roles are given and removed through the audited services."""

    list_display = ["user", "role", "unit", "region", "granted_at", "removed_at"]
    list_filter = ["role", "unit"]
