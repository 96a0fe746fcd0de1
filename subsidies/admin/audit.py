from django.contrib import admin

from subsidies.admin.base import ReadOnlyMixin
from subsidies.models import AuditEntry
from subsidies.selectors import audit_entries_visible_to


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["=target_id", "summary"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ["at", "actor", "action", "target_type", "target_id", "summary", "data"]
    readonly_fields = fields

    def get_queryset(self, request):
        """Rows about objects of the user's scope (subsidies.selectors.AUDIT_TARGET_SCOPES)."""
        return audit_entries_visible_to(request.user).select_related("actor")
