"""The RPJMD hierarchy and the roadmap in the admin panel (tenant admins; the middleware scopes the queries)."""

from django.contrib import admin

from stakeholders.admin import TenantScopedAdmin

from .models import (
    RPJMD,
    ArahKebijakan,
    Indicator,
    IndicatorAchievement,
    IndicatorTarget,
    Misi,
    Priority,
    PriorityTarget,
    Roadmap,
    Sasaran,
    Strategi,
    Tujuan,
)


class TenantInline(admin.TabularInline):
    """Inline rows take the parent's tenant (the tenant column is never typed)."""

    extra = 0
    exclude = ["tenant"]


class MisiInline(TenantInline):
    can_delete = False  # deleted from its own page, where the deletion rule is checked
    model = Misi


class TujuanInline(TenantInline):
    can_delete = False  # deleted from its own page, where the deletion rule is checked
    model = Tujuan


class SasaranInline(TenantInline):
    can_delete = False  # deleted from its own page, where the deletion rule is checked
    model = Sasaran


class IndicatorTargetInline(TenantInline):
    model = IndicatorTarget


class IndicatorAchievementInline(TenantInline):
    model = IndicatorAchievement


class PriorityTargetInline(TenantInline):
    model = PriorityTarget


class PriorityInline(TenantInline):
    model = Priority
    fields = ["title", "order"]
    show_change_link = True
    can_delete = False  # deleted from its own page, where the deletion rule is checked


class HierarchyAdmin(TenantScopedAdmin):
    """Saving inlines: every child row gets the parent's tenant before validation and saving.

    Deleting follows the portal's rule (roadmap/deletion.py): what it forbids is listed as protected, so the admin
    panel refuses too.
    """

    def get_deleted_objects(self, objs, request):
        from .deletion import deletion_plan

        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected += deletion_plan(obj).blockers
        return to_delete, model_count, perms_needed, protected

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.tenant_id = form.instance.tenant_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form_class
        from stakeholders.permissions import administered_tenant_ids

        tenant_ids = administered_tenant_ids(request.user)

        class TenantForm(form_class):
            # The row validates with the admin's tenant (model clean() compares tenants and periods).
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if self.instance.tenant_id is None and tenant_ids:
                    self.instance.tenant_id = tenant_ids[0]

        return TenantForm


@admin.register(RPJMD)
class RPJMDAdmin(HierarchyAdmin):
    list_display = ["title", "start_year", "end_year", "tenant"]
    inlines = [MisiInline]


@admin.register(Misi)
class MisiAdmin(HierarchyAdmin):
    list_display = ["code", "text", "rpjmd"]
    search_fields = ["code", "text"]
    inlines = [TujuanInline]


@admin.register(Tujuan)
class TujuanAdmin(HierarchyAdmin):
    list_display = ["code", "text", "misi"]
    search_fields = ["code", "text"]
    inlines = [SasaranInline]


@admin.register(Sasaran)
class SasaranAdmin(HierarchyAdmin):
    list_display = ["code", "text", "tujuan"]
    search_fields = ["code", "text"]


@admin.register(Strategi)
class StrategiAdmin(HierarchyAdmin):
    list_display = ["code", "text", "sasaran"]


@admin.register(ArahKebijakan)
class ArahKebijakanAdmin(HierarchyAdmin):
    list_display = ["code", "text", "sasaran", "strategi"]


@admin.register(Indicator)
class IndicatorAdmin(HierarchyAdmin):
    list_display = ["code", "name", "unit", "baseline", "final_target", "responsible_agency"]
    search_fields = ["code", "name"]
    inlines = [IndicatorTargetInline, IndicatorAchievementInline]


@admin.register(Roadmap)
class RoadmapAdmin(HierarchyAdmin):
    list_display = ["title", "start_year", "end_year", "rpjmd"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(HierarchyAdmin):
    list_display = ["title", "roadmap", "order"]
    search_fields = ["title"]
    filter_horizontal = ["sasaran", "indicators", "regions"]
    inlines = [PriorityTargetInline]
