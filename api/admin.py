from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, CalendarFeed, ClientImport, IdempotentRequest


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are made by their user on the account page (the secret is shown there once);
    here an administrator can see them and revoke one (set "revoked at")."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__username", "user__last_name"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    """Delete a feed to revoke its address; its user can make a new one."""

    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__last_name", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ClientImport)
class ClientImportAdmin(SimpleHistoryAdmin):
    list_display = [
        "created_at",
        "user",
        "organisation",
        "status",
        "row_count",
        "new_count",
        "duplicate_count",
        "refused_count",
        "imported_count",
    ]
    list_filter = ["status", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    # The pending rows are personal data on their way in: not shown here.
    exclude = ["rows"]
    readonly_fields = [
        "user",
        "organisation",
        "file_format",
        "status",
        "row_count",
        "new_count",
        "duplicate_count",
        "refused_count",
        "imported_count",
        "created_at",
        "imported_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "key", "status_code"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "fingerprint", "status_code", "response", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
