"""Tenancy: URL prefix resolution, membership guard, scoped queries everywhere."""

import pytest
from django.apps import apps
from django.urls import reverse
from django_scopes import ScopeError, scope

from stakeholders.models import Organization, TenantOwned


def test_unknown_tenant_answers_404_in_the_layout(world):
    response = world.client_for(world.staff).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_anonymous_visitor_of_tenant_home_is_sent_to_login(client, world):
    response = client.get("/diy/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/diy/" in response["Location"]


def test_member_sees_home_with_own_organisation(world):
    response = world.client_for(world.staff).get("/diy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dinas Koperasi dan UKM Kabupaten Sleman" in page
    assert "Selamat datang" in page


def test_member_of_other_tenant_gets_404(world):
    response = world.client_for(world.outsider).get("/diy/")
    assert response.status_code == 404
    assert "Dinas Koperasi" not in response.content.decode()


def test_user_without_membership_gets_404(world):
    assert world.client_for(world.nobody).get("/diy/").status_code == 404


def test_tenant_admin_without_organisation_is_a_member(world):
    response = world.client_for(world.tenant_admin).get("/diy/")
    assert response.status_code == 200
    assert "admin provinsi" in response.content.decode()


def test_query_outside_a_scope_raises(world):
    with pytest.raises(ScopeError):
        list(Organization.objects.all())


def test_scope_filters_by_tenant(world):
    with scope(tenant=world.other_tenant):
        names = set(Organization.objects.values_list("name", flat=True))
    assert names == {"Komunitas Batik Surakarta"}


def test_every_tenant_owned_model_is_scoped():
    """Meta-test: any model with a `tenant` foreign key must refuse unscoped queries."""
    # django-simple-history's Historical* tables are only reached through a scoped object's `.history`.
    tenant_owned = [
        model for model in apps.get_models()
        if any(f.name == "tenant" and f.is_relation for f in model._meta.get_fields())
        and not model.__name__.startswith("Historical")
    ]
    assert len(tenant_owned) >= 4
    for model in tenant_owned:
        assert issubclass(model, TenantOwned) or hasattr(model.objects, "with_scopes_disabled"), model
        with pytest.raises(ScopeError):
            model.objects.filter(pk=1).exists()


def test_landing_sends_member_to_their_tenant(world):
    response = world.client_for(world.staff).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/diy/"


def test_landing_lists_tenants_for_anonymous(client, world):
    page = client.get("/").content.decode()
    assert "SATUSAMA DIY" in page and "SATUSAMA Jawa Tengah" in page
