"""E-mail deliveries in the admin panel: read-only, to see which e-mails failed or still wait, and re-invite.

Tenant admins see their own tenants' deliveries (the middleware scopes the queries; account e-mails belong to no
tenant and only platform superusers see them), like every other tenant model (`TenantScopedAdmin`).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stakeholders.admin import ReadOnlyMixin, TenantScopedAdmin

from .models import EmailDelivery

# What a topic's first part means (`invitation:12` is about invitation 12); see where `queue_email` is called.
TOPIC_KINDS = {
    "invitation": _("Invitation to an organisation"),
    "meeting-invitation": _("Meeting invitation"),
    "meeting-minutes": _("Final minutes"),
    "decision": _("Forum decision"),
    "overlap-flag": _("Overlap flag"),
    "account": _("Account (sign-up, password)"),
}


class TopicKindFilter(admin.SimpleListFilter):
    title = _("topic")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(TOPIC_KINDS.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(topic__startswith=f"{self.value()}:")
        return queryset


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyMixin, TenantScopedAdmin):
    """Nobody edits a delivery: the worker marks it sent, the hourly check marks lost ones failed."""

    list_display = ["topic", "tenant", "recipients", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", TopicKindFilter]
    search_fields = ["topic"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    list_select_related = ["tenant"]
    fields = ["topic", "tenant", "recipients", "status", "created_at", "requeued_at", "sent_at", "attempts",
              "last_error"]
    readonly_fields = fields
