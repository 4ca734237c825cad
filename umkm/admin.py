"""Admin panel for the registry, scoped to the tenants the user administers."""

from django.contrib import admin

from stakeholders.admin import TenantScopedAdmin

from .models import Business, OutcomeReport


@admin.register(Business)
class BusinessAdmin(TenantScopedAdmin):
    list_display = ["nib", "name", "region", "sector", "scale", "is_minimal"]
    list_filter = ["scale", "sector", "is_minimal"]
    search_fields = ["=nib", "name"]
    raw_id_fields = ["consent_recorded_by"]
    show_full_result_count = False  # counting a million rows on every page is the slow part


@admin.register(OutcomeReport)
class OutcomeReportAdmin(TenantScopedAdmin):
    list_display = ["business", "date", "annual_sales", "capital", "employees", "scale"]
    raw_id_fields = ["business", "created_by"]
    date_hierarchy = "date"
