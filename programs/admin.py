"""Programs in the admin panel (tenant admins; scoped by the middleware), with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Program, ProgramEvent


class ProgramEventInline(admin.TabularInline):
    model = ProgramEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "by_forum", "at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Status changes go through the workflow, never through the admin.
        return False


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "title", "owner", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["ref", "title"]
    readonly_fields = ["status", "version", "created_at", "updated_at"]
    raw_id_fields = ["owner", "partners", "regions", "created_by"]
    inlines = [ProgramEventInline]


from . import overlap_admin  # noqa: E402, F401  (overlap flags and synonyms)
