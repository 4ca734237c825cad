"""Admin panel: tenant admins see and edit only their own tenant's rows (the middleware scopes the queries)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization, Region, Tenant, TenantRole, User


class TenantScopedAdmin(admin.ModelAdmin):
    """New rows go to the admin's own tenant; the tenant column is only editable by a platform superuser."""

    def get_exclude(self, request, obj=None):
        return () if request.user.is_superuser else ("tenant",)

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            from .permissions import administered_tenant_ids

            obj.tenant_id = administered_tenant_ids(request.user)[0]
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return request.user.is_superuser or getattr(request, "is_tenant_admin", False)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "province_code"]
    search_fields = ["slug", "name"]


@admin.register(Region)
class RegionAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "kind", "tenant"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(TenantScopedAdmin):
    list_display = ["name", "helix", "verified", "tenant"]
    list_filter = ["helix", "verified"]
    search_fields = ["name", "contact_email"]
    filter_horizontal = ["regions"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    list_display = ["user", "organization", "role", "position", "tenant"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(TenantRole)
class TenantRoleAdmin(TenantScopedAdmin):
    list_display = ["user", "role", "tenant"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal data"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
