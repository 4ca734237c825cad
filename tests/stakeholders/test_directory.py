"""The directory "Siapa melakukan apa di mana", organisation pages and the profile's acting organisation."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from stakeholders.models import HelixKind, Membership, Organization, Region
from stakeholders.selectors import acting_membership

pytestmark = pytest.mark.django_db


def directory_url(**params):
    from urllib.parse import urlencode

    return reverse("stakeholders:directory", args=["diy"]) + ("?" + urlencode(params) if params else "")


def add_orgs(world, n):
    with scopes_disabled():
        regions = list(Region.objects.filter(tenant=world.tenant))
        kinds = list(HelixKind.values)
        for i in range(n):
            org = Organization.objects.create(tenant=world.tenant, name=f"Lembaga Uji {i:03}", helix=kinds[i % 6],
                                              parent=world.org if i % 4 == 0 else None)
            org.regions.set(regions[: 1 + i % len(regions)])
            Membership.objects.create(tenant=world.tenant, user=world.colleague, organization=org)


def test_directory_lists_counts_and_filters_by_helix_and_region(world):
    with scopes_disabled():
        world.org.regions.set(Region.objects.filter(tenant=world.tenant, code="34.04"))
        world.other_org.regions.set(Region.objects.filter(tenant=world.tenant, code="34.71"))
    client = world.client_for(world.staff)
    page = client.get(directory_url()).content.decode()
    assert "Siapa melakukan apa di mana" in page
    assert world.org.name in page and world.other_org.name in page
    assert "Komunitas Batik Surakarta" not in page  # another tenant's organisation
    # counts per helix kind: one government, one campus
    assert '<a href="?helix=government">Pemerintah</a>\n      <span class="count">1</span>' in page

    only_campus = client.get(directory_url(helix="campus")).content.decode()
    assert world.other_org.name in only_campus and world.org.name not in only_campus
    in_sleman = client.get(directory_url(region="34.04")).content.decode()
    assert world.org.name in in_sleman and world.other_org.name not in in_sleman


def test_htmx_request_gets_only_the_results(world):
    response = world.client_for(world.staff).get(directory_url(helix="campus"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and world.other_org.name in body and world.org.name not in body


def test_unknown_filter_values_show_everything_instead_of_failing(world):
    response = world.client_for(world.staff).get(directory_url(helix="alien", region="99.99"))
    assert response.status_code == 200 and world.org.name in response.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_directory_query_count_does_not_grow(world, django_assert_num_queries, settings, n):
    add_orgs(world, n)
    client = world.client_for(world.staff)
    client.get(directory_url())  # warm the session
    # With Redis (CI) the session is read from the cache, without it from the database.
    session_query = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    with django_assert_num_queries(8 + session_query):
        response = client.get(directory_url())
    assert response.content.decode().count("Lembaga Uji") == n


def test_organisation_page_shows_people_with_role_and_email_and_program_hook(world):
    with scopes_disabled():
        world.org.regions.set(Region.objects.filter(tenant=world.tenant, code="34.04"))
        child = Organization.objects.create(tenant=world.tenant, name="Bidang UMKM Sleman", helix="government",
                                            parent=world.org)
    page = world.client_for(world.colleague).get(
        reverse("stakeholders:organization", args=["diy", world.org.pk])).content.decode()
    assert "Rina Wulandari" in page and "Staf" in page and "Admin lembaga" in page
    assert "staf@satusama.test" in page  # same tenant: e-mail visible
    assert "Sleman" in page and child.name in page
    assert 'id="programs-heading"' in page  # the programs app's section


def test_other_tenant_sees_nothing(world):
    client = world.client_for(world.outsider)
    assert client.get(directory_url()).status_code == 404
    assert client.get(reverse("stakeholders:organization", args=["diy", world.org.pk])).status_code == 404
    # own prefix, tenant A's id
    assert client.get(reverse("stakeholders:organization", args=["jateng", world.org.pk])).status_code == 404


def test_profile_lists_memberships_across_tenants_and_switches_acting_organisation(world):
    with scopes_disabled():
        Membership.objects.create(tenant=world.tenant, user=world.staff, organization=world.other_org)
        Membership.objects.create(tenant=world.other_tenant, user=world.staff, organization=world.foreign_org)
        target = Membership.objects.get(user=world.staff, organization=world.other_org)
    client = world.client_for(world.staff)
    page = client.get(reverse("profile")).content.decode()
    assert world.org.name in page and world.other_org.name in page and "Komunitas Batik Surakarta" in page
    assert "SATUSAMA Jawa Tengah" in page
    response = client.post(reverse("profile_act_for"), {"membership": target.pk}, follow=True)
    assert "Anda sekarang mewakili Universitas Contoh Yogyakarta" in response.content.decode()

    request = RequestFactory().get("/diy/")
    request.user, request.tenant, request.session = world.staff, world.tenant, client.session
    with scope(tenant=world.tenant):
        assert acting_membership(request) == target
    # someone else's membership cannot be chosen
    with scopes_disabled():
        foreign = Membership.objects.get(user=world.org_admin)
    assert client.post(reverse("profile_act_for"), {"membership": foreign.pk}).status_code == 404


def test_acting_membership_defaults_to_the_first_and_is_none_without_organisation(world):
    request = RequestFactory().get("/diy/")
    request.user, request.tenant, request.session = world.staff, world.tenant, {}
    assert acting_membership(request).organization == world.org
    request = RequestFactory().get("/diy/")
    request.user, request.tenant, request.session = world.tenant_admin, world.tenant, {}
    assert acting_membership(request) is None


def test_profile_sets_the_name_colleagues_see(world):
    client = world.client_for(world.staff)
    response = client.post(reverse("profile"), {"full_name": "  Rina   Wulandari, S.E. "}, follow=True)
    assert "Nama Anda telah disimpan" in response.content.decode()
    with scopes_disabled():
        world.staff.refresh_from_db()
    assert world.staff.full_name == "Rina Wulandari, S.E."


def test_tenant_admin_verifies_an_organisation_org_admin_cannot(world):
    url = reverse("stakeholders:organization_edit", args=["diy", world.other_org.pk])
    data = {"name": world.other_org.name, "helix": "campus", "verified": "on"}
    with scopes_disabled():
        Membership.objects.create(tenant=world.tenant, user=world.org_admin, organization=world.other_org,
                                  role="admin")
    assert 'name="verified"' not in world.client_for(world.org_admin).get(url).content.decode()
    world.client_for(world.org_admin).post(url, data)
    with scopes_disabled():
        world.other_org.refresh_from_db()
    assert not world.other_org.verified
    world.client_for(world.tenant_admin).post(url, data)
    with scopes_disabled():
        world.other_org.refresh_from_db()
    assert world.other_org.verified
