"""Overlap flags and the tenant's synonym list in the admin panel (imported by programs/admin.py)."""

from django.contrib import admin

from stakeholders.admin import TenantScopedAdmin

from .models import OverlapFlag, SynonymEntry
from .overlap_services import synonyms_changed


@admin.register(OverlapFlag)
class OverlapFlagAdmin(TenantScopedAdmin):
    list_display = ["program_a", "program_b", "score", "status", "resolution", "created_at"]
    list_filter = ["status", "resolution"]
    search_fields = ["program_a__ref", "program_b__ref", "program_a__title", "program_b__title"]
    raw_id_fields = ["program_a", "program_b", "resolved_by", "proposed_by", "proposed_for", "joint_program"]
    # Flags come from the engine and are answered on the program page; the admin only reads them.
    readonly_fields = ["program_a", "program_b", "score", "reasons", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SynonymEntry)
class SynonymEntryAdmin(TenantScopedAdmin):
    list_display = ["concept", "phrase"]
    list_filter = ["concept"]
    search_fields = ["concept", "phrase"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        synonyms_changed(obj.tenant)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        synonyms_changed(obj.tenant)

    def delete_queryset(self, request, queryset):
        tenants = {entry.tenant for entry in queryset}
        super().delete_queryset(request, queryset)
        for tenant in tenants:
            synonyms_changed(tenant)
