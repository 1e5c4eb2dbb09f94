from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import ehr_launch
from .models import BulkExport, LaunchingRecordSystem, Subscription, UnitClient


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


@admin.register(LaunchingRecordSystem)
class LaunchingRecordSystemAdmin(admin.ModelAdmin):
    """A record system that opens Fyren (SMART EHR launch). What to give the record
    system's administrator for its app list is shown beside it."""

    list_display = ("name", "issuer", "client_id", "client_auth", "trusted_identity", "active")
    list_filter = ("active", "trusted_identity")
    filter_horizontal = ("units",)
    readonly_fields = ("fyren_launch_url", "fyren_redirect_uri", "fyren_jwks_uri", "fyren_scope", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "issuer", "client_id", "client_auth", "units", "trusted_identity", "active")}),
        (
            _("For the record system's app list"),
            {"fields": ("fyren_launch_url", "fyren_redirect_uri", "fyren_jwks_uri", "fyren_scope", "created_at")},
        ),
    )

    @admin.display(description=_("Fyren's launch URL"))
    def fyren_launch_url(self, obj) -> str:
        return ehr_launch.launch_uri()

    @admin.display(description=_("Fyren's redirect URI"))
    def fyren_redirect_uri(self, obj) -> str:
        return ehr_launch.redirect_uri()

    @admin.display(description=_("Fyren's JWK Set (private_key_jwt)"))
    def fyren_jwks_uri(self, obj) -> str:
        return ehr_launch.jwks_uri()

    @admin.display(description=_("Scopes Fyren asks for"))
    def fyren_scope(self, obj) -> str:
        return ehr_launch.SCOPE
