"""Pages stay O(1) in SQL: the same number of queries with 5 rows and with 50 (people, units, invitations…)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from satusama.models import EmailDelivery
from stakeholders.models import (
    AuditEvent,
    HelixKind,
    Invitation,
    Membership,
    Organization,
    OrganizationRequest,
    Region,
    TenantRole,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def grow(world, n, start=0):
    """n more people, units, invitations, history rows and registration requests around world.org."""
    with scopes_disabled():
        regions = list(Region.objects.filter(tenant=world.tenant))
        world.org.regions.set(regions)
        for i in range(start, start + n):
            person = make_user(f"orang{i:03}@lembaga.id", full_name=f"Orang Uji {i:03}")
            Membership.objects.create(tenant=world.tenant, user=person, organization=world.org,
                                      role="admin" if i % 5 == 0 else "staff", position=f"Jabatan {i}")
            unit = Organization.objects.create(tenant=world.tenant, name=f"Unit Uji {i:03}", helix=HelixKind.GOVERNMENT,
                                               parent=world.org)
            unit.regions.set(regions[: 1 + i % len(regions)])
            invitation = Invitation.objects.create(
                tenant=world.tenant, organization=world.org, email=f"calon{i:03}@lembaga.id",
                invited_by=world.org_admin, sent_at=timezone.now() - timezone.timedelta(days=i % 10))
            for status in ("sent", "queued")[: 1 + i % 2]:  # its e-mails' states come in one query
                EmailDelivery.objects.create(tenant=world.tenant, topic=invitation.mail_topic, status=status)
            AuditEvent.objects.create(tenant=world.tenant, actor=world.org_admin, action="invited",
                                      organization=world.org, organization_name=world.org.name,
                                      subject_email=f"calon{i:03}@lembaga.id")
            request = OrganizationRequest.objects.create(tenant=world.tenant, name=f"Usulan {i:03}", helix="media",
                                                         requested_by=person)
            request.regions.set(regions[:2])
            other = make_user(f"lintas{i:03}@lembaga.id")
            Membership.objects.create(tenant=world.tenant, user=other, organization=unit, role="staff")
            TenantRole.objects.create(tenant=world.tenant, user=other, role="viewer")


def count_queries(client, url):
    client.get(url)  # warm the session and the caches a first visit fills
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


PAGES = {
    "organization": ("stakeholders:organization", True, "staff", "Orang Uji"),
    "people": ("stakeholders:people", True, "org_admin", "calon"),
    "audit": ("stakeholders:audit", False, "tenant_admin", "calon"),
    "requests": ("stakeholders:requests", False, "tenant_admin", "Usulan"),
    "directory": ("stakeholders:directory", False, "staff", "Unit Uji"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_rows(world, page):
    name, with_org, who, marker = PAGES[page]
    url = reverse(name, args=["diy", world.org.pk] if with_org else ["diy"])
    client = world.client_for(getattr(world, who))
    grow(world, 5)
    small, body = count_queries(client, url)
    assert body.count(marker) >= 5
    grow(world, 45, start=5)
    large, body = count_queries(client, url)
    assert body.count(marker) >= 50
    assert large == small, f"{page}: {small} queries with 5 rows, {large} with 50"
    assert small <= 16


def test_admin_changelists_do_not_grow_with_rows(world):
    client = world.client_for(world.tenant_admin)
    grow(world, 5)
    urls = [reverse(f"admin:stakeholders_{m}_changelist")
            for m in ("organization", "membership", "invitation", "auditevent", "organizationrequest",
                      "tenantrole", "user")]
    small = {url: count_queries(client, url)[0] for url in urls}
    grow(world, 45, start=5)
    large = {url: count_queries(client, url)[0] for url in urls}
    assert large == small
