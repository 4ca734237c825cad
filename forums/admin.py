"""Admin panel for forums: tenant admins set up forums, their chair, secretary and members."""

from django.contrib import admin

from stakeholders.admin import TenantScopedAdmin

from .models import Forum, ForumMember, Meeting
from .services import forum_set_officers


class ForumMemberInline(admin.TabularInline):
    model = ForumMember
    extra = 1
    exclude = ["tenant"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["representative"]


@admin.register(Forum)
class ForumAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "level", "region", "chair", "secretary"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["chair", "secretary"]
    inlines = [ForumMemberInline]

    def save_model(self, request, obj, form, change):
        chair, secretary = obj.chair, obj.secretary
        if change:
            # Let the service move the object permission from the previous officers to the new ones.
            previous = Forum.objects.get(pk=obj.pk)
            obj.chair, obj.secretary = previous.chair, previous.secretary
        super().save_model(request, obj, form, change)
        forum_set_officers(forum=obj, chair=chair, secretary=secretary)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.tenant_id = form.instance.tenant_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Meeting)
class MeetingAdmin(TenantScopedAdmin):
    list_display = ["number", "title", "forum", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    # Numbers, status and frozen minutes follow the portal's rules; the admin panel only reads them.
    readonly_fields = ["forum", "number", "year", "sequence", "status", "checkin_code", "closed_at", "closed_by"]

    def has_add_permission(self, request):
        return False  # meetings are planned in the portal, where numbers and rules apply
