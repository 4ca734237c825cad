"""Reads about people and organisations that several views (and other apps) share."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django_scopes import scopes_disabled

from satusama.mail import latest_deliveries

from .extensions import DIRECTORY_FILTERS
from .models import AuditEvent, HelixKind, Invitation, Membership, Organization, Region, Tenant, TenantRole

ACTING_SESSION_KEY = "stakeholders_acting"


def memberships_of(user, tenant: Tenant | None = None) -> list[Membership]:
    """A person's memberships, in one tenant or (for the profile page) in all of them."""
    with scopes_disabled():
        qs = Membership.objects.filter(user=user).select_related("organization", "tenant")
        if tenant is not None:
            qs = qs.filter(tenant=tenant)
        return list(qs.order_by("tenant__name", "organization__name"))


def tenants_of(user) -> list[Tenant]:
    """Tenants the user belongs to, through an organisation or a tenant-wide role."""
    with scopes_disabled():
        ids = set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True))
        ids |= set(TenantRole.objects.filter(user=user).values_list("tenant_id", flat=True))
        return list(Tenant.objects.filter(id__in=ids))


def acting_membership(request) -> Membership | None:
    """The membership the user acts for in the current tenant: chosen on the profile page, else the first one.

    Other apps use it to pre-fill "which organisation registers this program". None for people without an
    organisation in this tenant (a tenant admin or viewer). Cached on the request.
    """
    if hasattr(request, "_acting_membership"):
        return request._acting_membership
    acting = None
    tenant = getattr(request, "tenant", None)
    if tenant is not None and request.user.is_authenticated:
        memberships = memberships_of(request.user, tenant)
        chosen = request.session.get(ACTING_SESSION_KEY, {}).get(str(tenant.pk))
        acting = next((m for m in memberships if m.pk == chosen), memberships[0] if memberships else None)
    request._acting_membership = acting
    return acting


def remember_acting(request, membership: Membership) -> None:
    chosen = dict(request.session.get(ACTING_SESSION_KEY, {}))
    chosen[str(membership.tenant_id)] = membership.pk
    request.session[ACTING_SESSION_KEY] = chosen


def directory(tenant: Tenant, *, helix: str = "", region: str = "", q: str = "", extra: dict | None = None,
              user=None) -> dict:
    """Organisations of a tenant, filtered, with counts per helix kind: a fixed number of queries.

    The helix counts follow the other filters but not the helix filter, so they say how many organisations each
    kind button would show. `extra` holds the values of the filters other apps registered (extensions.py).
    """
    base = Organization.objects.filter(tenant=tenant)
    if region:
        base = base.filter(regions__code=region)
    if q:
        base = base.filter(name__icontains=q)
    for extra_filter in DIRECTORY_FILTERS:
        if value := (extra or {}).get(extra_filter.name):
            base = extra_filter.apply(base, value, user, tenant)
    counts = dict(base.order_by().values_list("helix").annotate(n=Count("pk", distinct=True)))
    organizations = base.filter(helix=helix) if helix else base
    organizations = (
        organizations.distinct()
        .select_related("parent")
        .annotate(people=Count("memberships", distinct=True))
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("code")))
        .order_by("name")
    )
    return {
        "organizations": list(organizations),
        "helix_counts": [(value, label, counts.get(value, 0)) for value, label in HelixKind.choices],
        "total": sum(counts.values()),
    }


def tenant_regions(tenant: Tenant) -> list[Region]:
    return list(Region.objects.filter(tenant=tenant).exclude(kind=Region.Kind.PROVINCE).order_by("code"))


def organization_people(org: Organization) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=org).select_related("user").order_by("role", "user__full_name")
    )


def open_invitations(org: Organization) -> list[Invitation]:
    """Invitations not accepted and not revoked (expired ones included, so they can be re-sent).

    Each carries `email_delivery`: its latest e-mail's state (being processed, sent, failed), all in one query.
    """
    invitations = list(
        Invitation.objects.filter(organization=org, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by").order_by("-sent_at")
    )
    deliveries = latest_deliveries(invitation.mail_topic for invitation in invitations)
    for invitation in invitations:
        invitation.email_delivery = deliveries.get(invitation.mail_topic)
    return invitations


def audit_events(tenant: Tenant, *, organization: Organization | None = None, limit: int = 200) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(tenant=tenant).select_related("actor")
    if organization is not None:
        qs = qs.filter(Q(organization=organization))
    return list(qs[:limit])
