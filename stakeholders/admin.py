"""Admin panel: tenant admins see and edit only their own tenant's rows (the middleware scopes the queries).

A tenant admin (TenantRole admin) may enter the panel without Django's staff flag; they see the tenant-owned
models registered with TenantScopedAdmin, and the people of their own tenants only (read-only). A platform
superuser sees and edits everything.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satusama.mail import flash_mail

from . import services
from .models import (
    INVITATION_VALIDITY,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    OrganizationRequest,
    Region,
    Tenant,
    TenantOwned,
    TenantRole,
    User,
)
from .permissions import administered_tenant_ids


def _admin_site_has_permission(request):
    # Tenant admins manage their province here without being Django staff (request.is_tenant_admin is set by
    # the tenant middleware for admin requests).
    user = request.user
    return user.is_active and (user.is_staff or getattr(request, "is_tenant_admin", False))


admin.site.has_permission = _admin_site_has_permission


def people_of_tenants(tenant_ids):
    """The accounts a tenant admin may see and pick: people in one of their organisations or with a tenant role."""
    return User.objects.filter(
        Q(pk__in=Membership.objects.filter(tenant_id__in=tenant_ids).values("user_id"))
        | Q(pk__in=TenantRole.objects.filter(tenant_id__in=tenant_ids).values("user_id"))
    )


class NotFoundOutsideScope:
    """A row outside the admin's scope answers 404, like everywhere else in the portal.

    Django's admin redirects to its index with "… doesn't exist" instead (`_get_obj_does_not_exist_redirect`,
    used by the change, delete and history views)."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class TenantScopedAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    """New rows go to the admin's own tenant; the tenant column is only editable by a platform superuser."""

    def get_exclude(self, request, obj=None):
        return () if request.user.is_superuser else ("tenant",)

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        # One tenant's admin does not need a column that always says the same thing.
        if not request.user.is_superuser and "tenant" in columns and len(administered_tenant_ids(request.user)) < 2:
            columns.remove("tenant")
        return columns

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # People are global: a tenant admin may only pick the people of their own tenants (others join by
        # invitation, which asks them).
        if db_field.related_model is User and not request.user.is_superuser:
            kwargs["queryset"] = people_of_tenants(administered_tenant_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return ["tenant", *filters] if request.user.is_superuser else filters

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.tenant_id = self._tenant_of_new_row(request, obj)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _tenant_of_new_row(request, obj) -> int:
        """The tenant of the organisation (or other tenant-owned row) it points at; else the admin's own tenant.

        Someone who administers two provinces adds a membership to an organisation of the second one: the row
        must belong to that province, not to the first one they administer."""
        for field in obj._meta.concrete_fields:
            if field.is_relation and field.name != "tenant" and issubclass(field.related_model, TenantOwned):
                related = getattr(obj, field.name, None)
                if related is not None:
                    return related.tenant_id
        return administered_tenant_ids(request.user)[0]

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


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "province_code"]
    search_fields = ["slug", "name"]


@admin.register(Region)
class RegionAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "kind", "capital", "tenant"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(TenantScopedAdmin):
    list_display = ["name", "helix", "parent", "region_list", "people", "verified", "created_at", "tenant"]
    list_filter = ["helix", "verified", "regions"]
    list_editable = ["verified"]
    search_fields = ["name", "contact_email", "description"]
    filter_horizontal = ["regions"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent", "tenant"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_people=Count("memberships")).prefetch_related("regions")

    @admin.display(description=_("Working regions"))
    def region_list(self, obj):
        return ", ".join(str(r) for r in obj.regions.all())

    @admin.display(description=_("People"), ordering="n_people")
    def people(self, obj):
        return obj.n_people


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    list_display = ["user", "user_email", "organization", "role", "position", "created_at", "tenant"]
    list_filter = ["role", "organization__helix"]
    search_fields = ["user__email", "user__full_name", "organization__name", "position"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization", "tenant"]

    @admin.display(description=_("E-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    def save_model(self, request, obj, form, change):
        # Role changes and new members made here are audited like the ones made in the portal.
        old_role = Membership.objects.filter(pk=obj.pk).values_list("role", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if not change:
            services.audit(tenant=obj.tenant, actor=request.user, action=AuditEvent.Action.JOINED,
                           organization=obj.organization, email=obj.user.email, detail=str(_("added in admin")))
        elif old_role != obj.role:
            services.audit(tenant=obj.tenant, actor=request.user, action=AuditEvent.Action.ROLE_CHANGED,
                           organization=obj.organization, email=obj.user.email, detail=f"{old_role} → {obj.role}")

    def delete_model(self, request, obj):
        services.audit(tenant=obj.tenant, actor=request.user, action=AuditEvent.Action.REMOVED,
                       organization=obj.organization, email=obj.user.email, detail=str(_("removed in admin")))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organization", "user"):
            self.delete_model(request, membership)


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Invitation.Status.choices

    def queryset(self, request, queryset):
        open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        cutoff = timezone.now() - INVITATION_VALIDITY
        match self.value():
            case "accepted":
                return queryset.filter(accepted_at__isnull=False)
            case "revoked":
                return queryset.filter(revoked_at__isnull=False)
            case "expired":
                return queryset.filter(open_, sent_at__lte=cutoff)
            case "pending":
                return queryset.filter(open_, sent_at__gt=cutoff)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(TenantScopedAdmin):
    list_display = ["email", "organization", "role", "status_label", "sent_at", "send_count", "invited_by", "tenant"]
    list_filter = [InvitationStatusFilter, "role"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization", "invited_by", "tenant"]
    readonly_fields = ["organization", "email", "role", "invited_by", "created_at", "sent_at", "send_count",
                       "accepted_at", "accepted_by", "revoked_at"]
    fields = readonly_fields
    actions = ["resend", "revoke"]

    def has_add_permission(self, request):
        return False  # invitations are made on the organisation's people page, which sends the e-mail

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.action(description=_("Re-send the selected invitations"))
    def resend(self, request, queryset):
        self._apply(request, queryset, lambda inv: services.invitation_resend(
            invitation=inv, by=request.user, site_url=request.build_absolute_uri("/")))

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        self._apply(request, queryset, lambda inv: services.invitation_revoke(invitation=inv, by=request.user))

    def _apply(self, request, queryset, action):
        done, deliveries = 0, []
        for invitation in queryset:
            try:
                invitation = action(invitation)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{invitation.email}: {' '.join(error.messages)}", messages.WARNING)
            else:
                if delivery := getattr(invitation, "email_delivery", None):
                    deliveries.append(delivery)
        if done:
            # Re-sent ones say how far their e-mails got, as on the people page.
            flash_mail(request, _("%(n)d invitation(s) updated.") % {"n": done}, deliveries)


@admin.register(OrganizationRequest)
class OrganizationRequestAdmin(TenantScopedAdmin):
    list_display = ["name", "helix", "requested_by", "status", "created_at", "decided_by", "tenant"]
    list_filter = ["status", "helix"]
    search_fields = ["name", "requested_by__email"]
    list_select_related = ["requested_by", "decided_by", "tenant"]
    readonly_fields = ["requested_by", "status", "decided_by", "decided_at", "organization", "created_at"]
    filter_horizontal = ["regions"]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(request, queryset, services.organization_request_approve)

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        self._decide(request, queryset, services.organization_request_decline)

    def _decide(self, request, queryset, decide):
        for org_request in queryset:
            try:
                decide(org_request=org_request, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{org_request.name}: {' '.join(error.messages)}", messages.WARNING)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, TenantScopedAdmin):
    """The membership history: nobody edits it, tenant admins read it."""

    list_display = ["created_at", "actor", "action", "organization_name", "subject_email", "detail", "tenant"]
    list_filter = ["action"]
    search_fields = ["subject_email", "organization_name", "actor__email", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "tenant"]

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(TenantRole)
class TenantRoleAdmin(TenantScopedAdmin):
    list_display = ["user", "role", "tenant"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(NotFoundOutsideScope, DjangoUserAdmin):
    """Superusers manage all accounts; a tenant admin only reads the people of their own tenants."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal data"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=people_of_tenants(administered_tenant_ids(request.user)).values("pk"))

    def _is_tenant_admin(self, request):
        return getattr(request, "is_tenant_admin", False)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._is_tenant_admin(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._is_tenant_admin(request)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return ((None, {"fields": ("email", "full_name", "is_active", "last_login", "date_joined")}),)
