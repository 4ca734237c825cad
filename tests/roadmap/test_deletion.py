"""Deleting RPJMD elements and priorities: a confirmation lists what goes with it; recorded achievements and
programs counted in a roll-up forbid it (roadmap/deletion.py); only tenant admins; other tenants 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from roadmap.models import Indicator, IndicatorAchievement, IndicatorTarget, Misi, Priority, PriorityTarget, Sasaran
from roadmap.services import set_indicator_values
from tests.programs.conftest import make_program

NON_ADMINS = ["staff", "org_admin", "colleague"]


def node_url(level, pk):
    return reverse("roadmap:node_delete", args=["diy", level, pk])


def priority_url(pk):
    return reverse("roadmap:priority_delete", args=["diy", pk])


@pytest.fixture
def admin(world):
    return world.client_for(world.tenant_admin)


def test_deleting_a_sasaran_lists_what_goes_with_it_then_deletes_it(plan, world, admin):
    page = admin.get(node_url("sasaran", plan.sasaran.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and f'id="delete-sasaran-{plan.sasaran.pk}"' in page
    assert "Indikator: 1" in page  # the indicator IKU-7
    assert "Target indikator: 1" in page  # its 2026 target
    assert "Prioritas “Sertifikasi halal” kehilangan keselarasan dengan IKU-7, S2.1.1." in page
    assert "Ya, hapus" in page

    response = admin.post(node_url("sasaran", plan.sasaran.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith(f"?rpjmd={plan.rpjmd.pk}")
    with scope(tenant=world.tenant):
        assert not Sasaran.objects.filter(pk=plan.sasaran.pk).exists()
        assert not Indicator.objects.filter(pk=plan.indicator.pk).exists()
        assert not IndicatorTarget.objects.filter(indicator_id=plan.indicator.pk).exists()
        priority = Priority.objects.get(pk=plan.priority.pk)  # the priority stays, without the alignment
        assert list(priority.sasaran.all()) == [] and list(priority.indicators.all()) == []
    page = admin.get(reverse("roadmap:rpjmd", args=["diy"])).content.decode()
    assert "Sasaran S2.1.1 telah dihapus." in page


def test_recorded_achievements_forbid_deleting_the_indicator_and_everything_above(plan, world, admin):
    with scope(tenant=world.tenant):
        for year in (2022, 2023):
            IndicatorAchievement.objects.create(tenant=world.tenant, indicator=plan.indicator, year=year,
                                                value=Decimal("21"))
    for level, node in (("indikator", plan.indicator), ("sasaran", plan.sasaran), ("tujuan", plan.tujuan),
                        ("misi", plan.misi)):
        page = admin.get(node_url(level, node.pk)).content.decode()
        assert "belum dapat dihapus" in page, level
        assert "Capaian sudah tercatat untuk IKU-7 Persentase UMKM go digital (2022, 2023)." in page, level
        assert "Sasaran S2.1.1 belum dapat dihapus" in page or level != "sasaran"
        assert "Ya, hapus" not in page
        response = admin.post(node_url(level, node.pk), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and response["HX-Retarget"] == f"#delete-{level}-{node.pk}"
        assert "Capaian sudah tercatat" in response.content.decode()
    with scope(tenant=world.tenant):
        assert Misi.objects.filter(pk=plan.misi.pk).exists()
        assert IndicatorAchievement.objects.filter(indicator=plan.indicator).count() == 2
        # Cleared on purpose (Edit values), the indicator may go.
        set_indicator_values(indicator=plan.indicator, values={2022: None, 2023: None, 2026: {"target": Decimal(40)}})
    response = admin.post(node_url("indikator", plan.indicator.pk))
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        assert not Indicator.objects.filter(pk=plan.indicator.pk).exists()
        assert Sasaran.objects.filter(pk=plan.sasaran.pk).exists()


def test_a_priority_with_counted_programs_cannot_be_deleted(plan, world, admin):
    when = {"start_date": datetime.date(2026, 3, 1), "end_date": datetime.date(2026, 3, 3)}
    counted = make_program(world, status="approved", **when)
    draft = make_program(world, status="draft", **when)
    with scope(tenant=world.tenant):
        counted.priorities.add(plan.priority)
        draft.priorities.add(plan.priority)
    page = admin.get(priority_url(plan.priority.pk), HTTP_HX_REQUEST="true").content.decode()
    assert counted.ref in page and "Lepaskan dulu di halaman cakupan." in page
    assert draft.ref not in page
    response = admin.post(priority_url(plan.priority.pk), HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == f"#delete-priority-{plan.priority.pk}"
    with scope(tenant=world.tenant):
        assert Priority.objects.filter(pk=plan.priority.pk).exists()
        counted.priorities.remove(plan.priority)

    # Only the draft's link is left: the confirmation says it goes, with the yearly target.
    page = admin.get(priority_url(plan.priority.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "Target prioritas: 1" in page
    assert "Program draf atau yang sudah ditutup yang kehilangan kaitannya dengan prioritas ini: 1." in page
    response = admin.post(priority_url(plan.priority.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert "Sertifikasi halal" not in response.content.decode()  # the list without it
    with scope(tenant=world.tenant):
        assert not Priority.objects.filter(pk=plan.priority.pk).exists()
        assert not PriorityTarget.objects.filter(priority_id=plan.priority.pk).exists()
        draft.refresh_from_db()
        assert list(draft.priorities.all()) == []


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_tenant_admins_delete(plan, world, who):
    client = world.client_for(getattr(world, who))
    for target in (node_url("sasaran", plan.sasaran.pk), node_url("indikator", plan.indicator.pk),
                   priority_url(plan.priority.pk)):
        assert client.get(target).status_code == 403
        assert client.post(target).status_code == 403
    with scope(tenant=world.tenant):
        assert Sasaran.objects.filter(pk=plan.sasaran.pk).exists()
        assert Priority.objects.filter(pk=plan.priority.pk).exists()


def test_other_tenants_get_404(plan, world):
    client = world.client_for(world.outsider)
    for target in (node_url("misi", plan.misi.pk), priority_url(plan.priority.pk)):
        assert client.get(target).status_code == 404
        assert client.post(target).status_code == 404
    assert world.client_for(world.tenant_admin).get(node_url("planet", plan.misi.pk)).status_code == 404
    with scope(tenant=world.tenant):
        assert Misi.objects.filter(pk=plan.misi.pk).exists()


def test_the_admin_panel_follows_the_same_rule(plan, world):
    from django.contrib.auth import get_user_model

    with scope(tenant=world.tenant):
        IndicatorAchievement.objects.create(tenant=world.tenant, indicator=plan.indicator, year=2022,
                                            value=Decimal("21"))
    root = get_user_model().objects.create_superuser(email="root@satusama.test", password="x")  # noqa: S106
    client = world.client_for(root)
    page = client.get(f"/admin/roadmap/sasaran/{plan.sasaran.pk}/delete/")
    assert page.status_code == 200
    assert "Capaian sudah tercatat" in page.content.decode()
    client.post(f"/admin/roadmap/sasaran/{plan.sasaran.pk}/delete/", {"post": "yes"})
    with scope(tenant=world.tenant):
        assert Sasaran.objects.filter(pk=plan.sasaran.pk).exists()
