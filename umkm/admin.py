"""Admin panel for the registry, scoped to the tenants the user administers."""

from django.contrib import admin

from stakeholders.admin import ReadOnlyMixin, TenantScopedAdmin

from .models import Business, NibCorrection, OutcomeReport


@admin.register(Business)
class BusinessAdmin(TenantScopedAdmin):
    list_display = ["nib", "name", "region", "sector", "scale", "is_minimal"]
    list_filter = ["scale", "sector", "is_minimal"]
    search_fields = ["=nib", "name"]
    raw_id_fields = ["consent_recorded_by"]
    show_full_result_count = False  # counting a million rows on every page is the slow part

    def get_readonly_fields(self, request, obj=None):
        # A NIB is corrected on the business page (*Koreksi NIB*), which keeps the old one and the reason.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "nib"] if obj is not None else fields


@admin.register(NibCorrection)
class NibCorrectionAdmin(ReadOnlyMixin, TenantScopedAdmin):
    """The record of corrections: read only, written by umkm.services.correct_nib."""

    list_display = ["old_nib", "new_nib", "business", "corrected_by", "corrected_at"]
    search_fields = ["=old_nib", "=new_nib"]


@admin.register(OutcomeReport)
class OutcomeReportAdmin(TenantScopedAdmin):
    list_display = ["business", "date", "annual_sales", "capital", "employees", "scale"]
    raw_id_fields = ["business", "created_by"]
    date_hierarchy = "date"
